import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// An idempotent Kafka producer, run as a `Service`: its `run()` polls librdkafka's event queue
/// for delivery reports, logs, errors and statistics, and on graceful shutdown flushes what is
/// still in flight before returning.
///
/// - ``send(_:)`` returns when the broker acknowledged the message (or throws its failure).
/// - ``send(batch:)`` enqueues many messages at once and awaits all their reports, without a
///   round trip per message.
/// - ``enqueue(_:)`` is fire-and-forget: failures are logged and counted only.
public final class KafkaProducer: Service, Sendable {
    /// Who waits for a message's delivery report.
    private enum Waiter: Sendable {
        case collector(DeliveryCollector, index: Int, topic: String)
        case none(topic: String)

        var topic: String {
            switch self {
            case .collector(_, _, let topic), .none(let topic): topic
            }
        }
    }

    private struct State {
        var nextOpaque: UInt = 1
        var pending: [UInt: Waiter] = [:]
        var isShuttingDown = false
        var isFinished = false
    }

    private let client: RDKafkaClient
    private let configuration: KafkaProducerConfiguration
    private let state = Mutex(State())
    private let statistics: KafkaStatistics
    private let failedDeliveries: Counter

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.client = try RDKafkaClient(kind: .producer, properties: configuration.properties, logger: logger)
        self.statistics = KafkaStatistics(clientId: configuration.clientId, logger: logger)
        self.failedDeliveries = Counter(label: "kafka_producer_delivery_failures_total", dimensions: [("client", configuration.clientId)])
    }

    /// The value of a librdkafka property as the running client has it, e.g. `security.protocol`.
    package func configurationValue(_ name: String) -> String? { client.configurationValue(name) }

    /// Produces one message and waits for its delivery report.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        let report = await send(batch: [message])[0]
        if let error = report.error { throw error }
        return report
    }

    /// Produces `messages` (enqueued in order, so equal keys keep their order) and returns one
    /// delivery report per message, in the same order. A message that could not even be enqueued
    /// gets a report carrying that error.
    public func send(batch messages: [KafkaProducerMessage]) async -> [KafkaDeliveryReport] {
        guard !messages.isEmpty else { return [] }
        let collector = DeliveryCollector(count: messages.count)
        await produce(messages) { index, message in .collector(collector, index: index, topic: message.topic) }
        return await collector.reports()
    }

    /// Fire-and-forget: enqueues the message; a later delivery failure is logged and counted.
    public func enqueue(_ message: KafkaProducerMessage) async throws(KafkaError) {
        var failure: KafkaError?
        await produce([message], waiter: { _, message in .none(topic: message.topic) }, enqueueFailed: { failure = $0 })
        if let failure { throw failure }
    }

    /// Messages still queued or in flight inside librdkafka.
    public var outstandingMessages: Int { client.outstandingMessages }

    /// True when a broker answers a metadata request in time (readiness probes).
    public func isConnected(timeout: Duration = .seconds(2)) async -> Bool {
        await client.brokersReachable(timeoutMilliseconds: Int32(timeout.milliseconds))
    }

    /// Registers every message under one lock, then enqueues them in order, waiting
    /// (backpressure) while librdkafka's queue is full. A message that cannot be enqueued is
    /// reported to its waiter right away (and to `enqueueFailed`).
    private func produce(
        _ messages: [KafkaProducerMessage],
        waiter: (Int, KafkaProducerMessage) -> Waiter,
        enqueueFailed: (KafkaError) -> Void = { _ in }
    ) async {
        let first: UInt? = state.withLock { state in
            guard !state.isFinished else { return nil }
            let first = state.nextOpaque
            state.nextOpaque += UInt(messages.count)
            for (index, message) in messages.enumerated() { state.pending[first + UInt(index)] = waiter(index, message) }
            return first
        }
        guard let first else {
            let error = KafkaError.shutdown("produce")
            for (index, message) in messages.enumerated() {
                complete(waiter(index, message), partition: message.partition ?? -1, offset: nil, error: error)
            }
            enqueueFailed(error)
            return
        }
        for (index, message) in messages.enumerated() {
            let opaque = first + UInt(index)
            while true {
                do {
                    try client.produce(message, opaque: opaque)
                    break
                } catch let error where error.code == .queueFull {
                    try? await Task.sleep(for: .milliseconds(1))
                } catch {
                    if let registered = state.withLock({ $0.pending.removeValue(forKey: opaque) }) {
                        complete(registered, partition: message.partition ?? -1, offset: nil, error: error)
                    }
                    enqueueFailed(error)
                    break
                }
            }
        }
    }

    private func complete(_ waiter: Waiter, partition: Int32, offset: Int64?, error: KafkaError?) {
        switch waiter {
        case .collector(let collector, let index, let topic):
            collector.record(KafkaDeliveryReport(topic: topic, partition: partition, offset: offset, error: error), at: index)
        case .none(let topic):
            if let error {
                failedDeliveries.increment()
                client.logger.error("Kafka delivery failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
            }
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !state.withLock({ $0.isShuttingDown }) && !Task.isCancelled {
                handle(await client.pollEvents(timeoutMilliseconds: 100))
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.isShuttingDown = true }
        }
        await shutdown()
    }

    /// Flushes: keeps serving delivery reports until nothing is queued, in flight or unreported
    /// (or the flush timeout passes), then fails whatever is still pending.
    private func shutdown() async {
        let deadline = ContinuousClock.now.advanced(by: configuration.shutdownFlushTimeout)
        while client.outstandingMessages > 0 && ContinuousClock.now < deadline {
            handle(await client.pollEvents(timeoutMilliseconds: 50, maxEvents: .max))
        }
        handle(await client.pollEvents(timeoutMilliseconds: 0, maxEvents: .max))
        if client.outstandingMessages > 0 {
            client.logger.error("Kafka producer flush did not complete", metadata: ["outstanding": "\(client.outstandingMessages)"])
        }
        let abandoned = state.withLock { state in
            state.isFinished = true
            defer { state.pending = [:] }
            return state.pending
        }
        for waiter in abandoned.values { complete(waiter, partition: -1, offset: nil, error: KafkaError.shutdown("delivery")) }
    }

    private func handle(_ events: [RDKafkaEvent]) {
        var deliveries: [(opaque: UInt, partition: Int32, offset: Int64?, error: KafkaError?)] = []
        for event in events {
            if case .delivery(let opaque, let partition, let offset, let error) = event {
                deliveries.append((opaque, partition, offset, error))
            } else {
                statistics.handle(event, role: "producer")
            }
        }
        guard !deliveries.isEmpty else { return }
        let waiters = state.withLock { state in deliveries.map { state.pending.removeValue(forKey: $0.opaque) } }
        for (delivery, waiter) in zip(deliveries, waiters) {
            if let waiter { complete(waiter, partition: delivery.partition, offset: delivery.offset, error: delivery.error) }
        }
    }
}

/// Collects the delivery reports of one send; reports may arrive before anyone waits.
final class DeliveryCollector: Sendable {
    private struct State {
        var reports: [KafkaDeliveryReport?]
        var remaining: Int
        var continuation: CheckedContinuation<[KafkaDeliveryReport], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(reports: Array(repeating: nil, count: count), remaining: count))
    }

    func reports() async -> [KafkaDeliveryReport] {
        await withCheckedContinuation { continuation in
            let ready: [KafkaDeliveryReport]? = state.withLock { state in
                guard state.remaining > 0 else { return state.reports.compactMap { $0 } }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func record(_ report: KafkaDeliveryReport, at index: Int) {
        let finished: (CheckedContinuation<[KafkaDeliveryReport], Never>, [KafkaDeliveryReport])? = state.withLock { state in
            guard state.reports[index] == nil else { return nil }
            state.reports[index] = report
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.reports.compactMap { $0 })
        }
        if let (continuation, reports) = finished { continuation.resume(returning: reports) }
    }
}
