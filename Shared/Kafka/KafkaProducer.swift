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
    private typealias Completion = @Sendable (KafkaDeliveryReport) -> Void

    private struct State {
        var nextOpaque: UInt = 1
        var pending: [UInt: Completion] = [:]
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
        for (index, message) in messages.enumerated() {
            do {
                try await enqueue(message) { collector.record($0, at: index) }
            } catch {
                collector.record(KafkaDeliveryReport(topic: message.topic, partition: message.partition ?? -1, offset: nil, error: error), at: index)
            }
        }
        return await collector.reports()
    }

    /// Fire-and-forget: enqueues the message; a later delivery failure is logged and counted.
    public func enqueue(_ message: KafkaProducerMessage) async throws(KafkaError) {
        try await enqueue(message) { [client, failedDeliveries] report in
            if let error = report.error {
                failedDeliveries.increment()
                client.logger.error("Kafka delivery failed", metadata: ["topic": "\(report.topic)", "error": "\(error)"])
            }
        }
    }

    /// Messages still queued or in flight inside librdkafka.
    public var outstandingMessages: Int { client.outstandingMessages }

    /// True when a broker answers a metadata request in time (readiness probes).
    public func isConnected(timeout: Duration = .seconds(2)) async -> Bool {
        await client.brokersReachable(timeoutMilliseconds: Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
    }

    /// Enqueues with a completion; waits (backpressure) while librdkafka's queue is full.
    private func enqueue(_ message: KafkaProducerMessage, completion: @escaping Completion) async throws(KafkaError) {
        while true {
            let opaque: UInt? = state.withLock { state in
                guard !state.isFinished else { return nil }
                let opaque = state.nextOpaque
                state.nextOpaque += 1
                state.pending[opaque] = completion
                return opaque
            }
            guard let opaque else { throw KafkaError.shutdown("produce") }
            do {
                try client.produce(message, opaque: opaque)
                return
            } catch {
                _ = state.withLock { $0.pending.removeValue(forKey: opaque) }
                guard error.code == .queueFull else { throw error }
                try? await Task.sleep(for: .milliseconds(2))
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

    /// Flushes, delivers the last reports and fails whatever is still pending.
    private func shutdown() async {
        let timeout = Int32(configuration.shutdownFlushTimeout.components.seconds * 1000)
        if let error = await client.flush(timeoutMilliseconds: timeout) {
            client.logger.error("Kafka producer flush did not complete", metadata: ["error": "\(error)", "outstanding": "\(client.outstandingMessages)"])
        }
        handle(await client.pollEvents(timeoutMilliseconds: 0, maxEvents: .max))
        let abandoned = state.withLock { state in
            state.isFinished = true
            defer { state.pending = [:] }
            return state.pending
        }
        for completion in abandoned.values {
            completion(KafkaDeliveryReport(topic: "", partition: -1, offset: nil, error: KafkaError.shutdown("delivery")))
        }
    }

    private func handle(_ events: [RDKafkaEvent]) {
        for event in events {
            switch event {
            case .delivery(let opaque, let report):
                let completion = state.withLock { $0.pending.removeValue(forKey: opaque) }
                completion?(report)
            case .log(let level, let facility, let message):
                client.logger.log(level: KafkaStatistics.logLevel(syslog: level), "\(message)", metadata: ["facility": "\(facility)"])
            case .error(let error):
                client.logger.log(level: error.isFatal ? .critical : .warning, "Kafka producer error", metadata: ["error": "\(error)"])
            case .statistics(let json):
                statistics.record(json)
            }
        }
    }
}

/// Collects the delivery reports of one send; reports may arrive before anyone waits.
private final class DeliveryCollector: Sendable {
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
