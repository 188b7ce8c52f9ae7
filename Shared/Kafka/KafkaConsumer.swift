import Logging
import ServiceLifecycle
import Synchronization

/// A consumer-group member with at-least-once offsets, run as a `Service`.
///
/// Messages are pulled lazily in batches through ``batches(maxMessages:linger:)``; librdkafka's
/// own prefetch limits bound memory. After a batch is durably processed, call
/// ``storeOffsets(for:)``; the auto-commit timer commits what was stored, and a rebalance commits
/// it before partitions move. Graceful shutdown ends the batch sequence after the batch in hand,
/// commits the stored offsets and leaves the group.
public final class KafkaConsumer: Service, Sendable {
    private struct State {
        var isShuttingDown = false
        var batchInHand = false
        var isClosed = false
    }

    private let client: RDKafkaClient
    private let configuration: KafkaConsumerConfiguration
    private let state = Mutex(State())
    private let statistics: KafkaStatistics

    /// - Parameter startingOffsets: where assigned partitions start, when offsets are stored outside
    ///   Kafka; without it they start at the group's committed offsets.
    public init(configuration: KafkaConsumerConfiguration, startingOffsets: KafkaStartingOffsets? = nil, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.client = try RDKafkaClient(
            kind: .consumer, properties: configuration.properties, startingOffsets: startingOffsets, logger: logger)
        self.statistics = KafkaStatistics(clientId: configuration.clientId, logger: logger)
        try client.subscribe(topics: configuration.topics)
    }

    /// The value of a librdkafka property as the running client has it, e.g. `security.protocol`.
    package func configurationValue(_ name: String) -> String? { client.configurationValue(name) }

    /// Batches of up to `maxMessages`: after the first message arrives, keep collecting for at most
    /// `linger` (zero: only what is already fetched). The sequence ends on graceful shutdown or
    /// task cancellation; it must be iterated by one task at a time.
    public func batches(maxMessages: Int = 500, linger: Duration = .zero) -> Batches {
        Batches(consumer: self, maxMessages: maxMessages, linger: linger)
    }

    /// Marks everything up to and including these messages as processed.
    /// - Returns: partitions that are no longer assigned here (their messages will be redelivered
    ///   to the new owner; idempotent handlers make that harmless).
    @discardableResult
    public func storeOffsets(for messages: some Sequence<KafkaConsumerMessage>) -> [KafkaTopicPartition] {
        var next: [KafkaTopicPartition: Int64] = [:]
        for message in messages {
            next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1)
        }
        let refused = client.storeOffsets(next)
        if !refused.isEmpty {
            client.logger.info("Offsets not stored for revoked partitions", metadata: ["partitions": "\(refused)"])
        }
        return refused
    }

    /// Partitions currently assigned to this member.
    public var assignment: [KafkaTopicPartition] { client.assignment() }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !state.withLock({ $0.isShuttingDown }) && !Task.isCancelled {
                handle(await client.pollEvents(timeoutMilliseconds: 100))
            }
        } onGracefulShutdown: {
            self.state.withLock { $0.isShuttingDown = true }
        }
        await close()
    }

    /// Waits for the batch in hand, commits stored offsets and leaves the group.
    private func close() async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: configuration.shutdownDrainTimeout)
        while state.withLock({ $0.batchInHand }) && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if state.withLock({ $0.batchInHand }) {
            client.logger.warning("Kafka consumer closing with a batch still in processing; it will be redelivered")
        }
        state.withLock { $0.isClosed = true }
        if let error = await client.commitStoredOffsets() {
            client.logger.warning("Final offset commit failed", metadata: ["error": "\(error)"])
        }
        if let error = await client.closeConsumer() {
            client.logger.warning("Kafka consumer close failed", metadata: ["error": "\(error)"])
        }
        handle(await client.pollEvents(timeoutMilliseconds: 0, maxEvents: .max))
    }

    /// Pulls the next batch; nil once shutting down. Calling it again means the previous batch is done.
    fileprivate func nextBatch(maxMessages: Int, linger: Duration) async -> [KafkaConsumerMessage]? {
        while true {
            let open = state.withLock { state in
                state.batchInHand = !(state.isShuttingDown || state.isClosed)
                return state.batchInHand
            }
            guard open, !Task.isCancelled else {
                state.withLock { $0.batchInHand = false }
                return nil
            }
            let batch = await client.pollBatch(maxMessages: maxMessages, firstTimeoutMilliseconds: 100, lingerMilliseconds: linger.milliseconds)
            if !batch.isEmpty {
                statistics.recordConsumed(batch.count)
                return batch
            }
        }
    }

    fileprivate func iterationEnded() {
        state.withLock { $0.batchInHand = false }
    }

    private func handle(_ events: [RDKafkaEvent]) {
        for event in events { statistics.handle(event, role: "consumer") }
    }
}

extension KafkaConsumer {
    /// The lazily pulled batches of a ``KafkaConsumer``.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [KafkaConsumerMessage]
        let consumer: KafkaConsumer
        let maxMessages: Int
        let linger: Duration

        public func makeAsyncIterator() -> Iterator {
            Iterator(consumer: consumer, maxMessages: maxMessages, linger: linger)
        }

        public struct Iterator: AsyncIteratorProtocol {
            private let token: IterationToken
            let maxMessages: Int
            let linger: Duration

            init(consumer: KafkaConsumer, maxMessages: Int, linger: Duration) {
                self.token = IterationToken(consumer: consumer)
                self.maxMessages = maxMessages
                self.linger = linger
            }

            public mutating func next() async -> [KafkaConsumerMessage]? {
                await token.consumer.nextBatch(maxMessages: maxMessages, linger: linger)
            }

            public mutating func next(isolation actor: isolated (any Actor)?) async -> [KafkaConsumerMessage]? {
                await token.consumer.nextBatch(maxMessages: maxMessages, linger: linger)
            }
        }
    }

    /// Ends the "batch in hand" when the iterator goes away, e.g. a `for await` loop that breaks:
    /// the loop body has finished with the last batch by then.
    private final class IterationToken: Sendable {
        let consumer: KafkaConsumer
        init(consumer: KafkaConsumer) { self.consumer = consumer }
        deinit { consumer.iterationEnded() }
    }
}
