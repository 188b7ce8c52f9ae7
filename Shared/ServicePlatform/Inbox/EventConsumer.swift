import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The consumer runtime every service uses: pulls batches from Kafka, decodes and validates the
/// CloudEvents, skips what was already applied, applies the rest with the ``EventHandler`` in one
/// transaction that also records how far the consumer got, dead-letters what was refused, commits,
/// and only then stores the offsets in Kafka.
///
/// - What was already applied: for a consumer of the system's own `lms.*` topics, messages below
///   the partition's offset stored with the effects (``ConsumerOffsets``; assigned partitions also
///   start there). A relay's republish under the same id arrives at a new offset and is absorbed by
///   the handlers' version guards. A consumer of platform input (`platform.*`) keeps an inbox of
///   event ids: external producers resend an event under its id, and not every such event carries
///   a version.
/// - Poison messages (undecodable, unknown type, schema-invalid, tenant mismatch, handler
///   rejection) go to `lms.dlq.v1` with the reason, before the transaction commits (the stored
///   offsets never pass a message that is neither applied nor dead-lettered); the batch goes on
///   without them.
/// - A failing transaction is retried with backoff and never skipped. If it keeps failing while
///   the database answers, the batch is applied one event at a time so that only the event that
///   fails on its own goes to the dead-letter queue.
public final class EventConsumer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The consumer's name, unique within the service: with the service name it forms the
        /// consumer group (`<service>.<name>`), the scope of its inbox and of its stored offsets.
        public var name: String
        public var topics: [Topic]
        public var maxBatchSize: Int = 1_000
        public var linger: Duration = .milliseconds(2)
        public var attemptsBeforeIsolation = 3
        /// Larger payloads are refused unread (class `oversized`): no event of the contract comes
        /// near it, and parsing megabytes of hostile JSON per message is a cheap way to stall a consumer.
        public var maximumPayloadBytes = 256 * 1024
        /// Test hook: runs after a batch's transaction committed and before its offsets are stored in
        /// Kafka. A throw leaves them unstored, as a crash at that point would.
        public var afterCommit: @Sendable () async throws -> Void = {}

        public init(name: String, topics: [Topic]) {
            self.name = name
            self.topics = topics
        }
    }

    public let groupId: String
    private let configuration: Configuration
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let database: ServiceDatabase
    private let handler: any EventHandler
    private let offsets: ConsumerOffsets
    /// Whether this consumer keeps its position in ``ConsumerOffsets`` (it reads only the system's
    /// own topics) rather than in the inbox of event ids (platform input).
    private let storesOffsets: Bool
    private let logger: Logger
    private let consumed: Counter
    private let duplicates: Counter
    private let batchTimer: Timer
    /// Messages skipped because they were already applied, for tests (the metric is `events_duplicate_total`).
    package let skippedDuplicates = Atomic(0)

    public init(
        configuration: Configuration,
        serviceName: String,
        kafkaBrokers: String,
        kafkaSecurity: KafkaSecurity = .plaintext,
        database: ServiceDatabase,
        producer: KafkaProducer,
        handler: any EventHandler,
        logger: Logger
    ) throws {
        let groupId = "\(serviceName).\(configuration.name)"
        self.groupId = groupId
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "consumer"] = "\(groupId)"
        self.logger = logger
        let offsets = ConsumerOffsets(consumer: groupId, logger: logger)
        self.offsets = offsets
        var consumerConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: kafkaBrokers,
            groupId: groupId,
            topics: configuration.topics.map(\.name),
            clientId: groupId
        )
        consumerConfiguration.security = kafkaSecurity
        let storesOffsets = !configuration.topics.contains(where: \.isPlatformInput)
        self.storesOffsets = storesOffsets
        let startingOffsets =
            storesOffsets
            ? KafkaStartingOffsets { [logger] assigned in
                let result = BlockingWait.result(timeout: .seconds(30)) {
                    try await offsets.startingOffsets(for: assigned, client: database.client)
                }
                switch result {
                case .success(let offsets): return offsets
                case .failure(let error):
                    // Kafka's committed offsets follow the stored ones, and the batch transaction
                    // skips what was applied: starting there costs re-reading, nothing else.
                    logger.warning(
                        "Stored offsets unavailable at assignment; starting at the committed offsets",
                        metadata: ["error": "\(String(reflecting: error))"])
                    return [:]
                }
            } : nil
        self.consumer = try KafkaConsumer(configuration: consumerConfiguration, startingOffsets: startingOffsets, logger: logger)
        self.producer = producer
        self.database = database
        self.handler = handler
        self.consumed = Counter(label: "events_consumed_total", dimensions: [("consumer", groupId)])
        self.duplicates = Counter(label: "events_duplicate_total", dimensions: [("consumer", groupId)])
        self.batchTimer = Timer(label: "event_batch_duration_seconds", dimensions: [("consumer", groupId)])
    }

    /// The value of a librdkafka property as this consumer's client has it, e.g. `security.protocol`.
    package func kafkaConfigurationValue(_ name: String) -> String? { consumer.configurationValue(name) }

    public func run() async throws {
        try await database.ready()
        if storesOffsets {
            // Inbox rows written before this consumer stored offsets: the offsets replace them.
            try await database.client.query("DELETE FROM inbox WHERE consumer = \(groupId)", logger: logger)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.consumer.run() }
            for await batch in consumer.batches(maxMessages: configuration.maxBatchSize, linger: configuration.linger) {
                await process(batch)
            }
            try await group.waitForAll()
        }
    }

    /// Processes one batch until it is fully applied or dead-lettered; never gives up on it.
    private func process(_ batch: [KafkaConsumerMessage]) async {
        let started = ContinuousClock.now
        var valid: [ConsumedEvent] = []
        var poison: [(KafkaConsumerMessage, EventRejection)] = []
        for message in batch {
            switch validate(message) {
            case .success(let event): valid.append(event)
            case .failure(let rejection): poison.append((message, rejection))
            }
        }
        var attempt = 0
        var backoff = Duration.milliseconds(100)
        while true {
            do {
                let isolate = attempt >= configuration.attemptsBeforeIsolation ? await database.isReachable() : false
                if !isolate {
                    try await apply(valid, poison: poison, recording: batch)
                } else {
                    try await applyIsolated(valid, poison: poison, recording: batch)
                }
                break
            } catch {
                // A transient error (deadlock, serialization) is no reason to isolate the batch's events.
                if !PostgresErrors.isConflict(error) { attempt += 1 }
                logger.error(
                    "Event batch failed; retrying",
                    metadata: ["attempt": "\(attempt)", "error": "\(String(reflecting: error))"]
                )
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        do {
            try await configuration.afterCommit()
        } catch {
            return
        }
        consumer.storeOffsets(for: batch)
        consumed.increment(by: batch.count)
        batchTimer.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
    }

    /// One transaction: skips what was already applied, applies the rest of `events` with the
    /// handler, dead-letters `poison` not yet past (and `failures` in any case) and what the handler
    /// refused, and records `messages` (the events and the poison among them) as done.
    ///
    /// Every batch waits for its commit to be flushed, also one that publishes nothing: after a
    /// PostgreSQL crash that lost an asynchronous commit, a consumer that kept running would go on
    /// from its position in Kafka, past the lost batch (the stored offsets are read back only on
    /// assignment), so `synchronous_commit = off` would lose those effects for good.
    private func apply(
        _ events: [ConsumedEvent], poison: [(KafkaConsumerMessage, EventRejection)], failures: [(KafkaConsumerMessage, EventRejection)] = [],
        recording messages: [KafkaConsumerMessage]
    ) async throws {
        let (groupId, handler, offsets, storesOffsets, logger) = (groupId, handler, offsets, self.storesOffsets, logger)
        let skipped = try await database.transaction { connection in
            let partitions = storesOffsets ? Set((messages + poison.map(\.0)).map(\.topicPartition)) : []
            let stored = try await offsets.lock(partitions, on: connection)
            let inboxIds = storesOffsets ? [] : events.map(\.event.id)
            var claimed = Set<String>()
            if !inboxIds.isEmpty {
                let rows = try await connection.query(
                    """
                    INSERT INTO inbox (consumer, event_id) SELECT \(groupId), id FROM unnest(\(inboxIds)::text[]) AS id
                    ON CONFLICT DO NOTHING RETURNING event_id
                    """,
                    logger: logger
                )
                for try await id in rows.decode(String.self) { claimed.insert(id) }
            }
            func isNew(_ message: KafkaConsumerMessage) -> Bool {
                message.offset >= stored[message.topicPartition] ?? 0
            }
            var seen = Set<String>()
            let fresh = events.filter { event in
                let new = storesOffsets ? isNew(event.message) : claimed.contains(event.event.id)
                return new && seen.insert(event.event.id).inserted
            }
            let rejections = fresh.isEmpty ? [] : try await handler.handle(fresh, on: connection)
            let refused = Dictionary(fresh.map { ($0.event.id, $0.message) }, uniquingKeysWith: { first, _ in first })
            let letters =
                poison.filter { !storesOffsets || isNew($0.0) } + failures
                + rejections.compactMap { rejection in refused[rejection.eventId].map { ($0, rejection) } }
            if !storesOffsets && !rejections.isEmpty {
                // Refused events are not "processed": a replay from the dead-letter queue must apply them.
                try await connection.query(
                    "DELETE FROM inbox WHERE consumer = \(groupId) AND event_id = ANY(\(rejections.map(\.eventId)))",
                    logger: logger
                )
            }
            try await self.deadLetter(letters)
            if storesOffsets {
                var next: [KafkaTopicPartition: Int64] = [:]
                for message in messages { next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1) }
                try await offsets.advance(to: next, on: connection)
            }
            return events.count - fresh.count
        }
        if skipped > 0 {
            duplicates.increment(by: skipped)
            skippedDuplicates.add(skipped, ordering: .relaxed)
        }
    }

    /// Dead-letters the poison, then applies each event in its own transaction; an event that fails
    /// on its own is dead-lettered at once, by a transaction that records its offset (so a later
    /// event of its partition never moves the stored offset past it first). A last transaction
    /// records the whole batch.
    private func applyIsolated(
        _ events: [ConsumedEvent], poison: [(KafkaConsumerMessage, EventRejection)], recording messages: [KafkaConsumerMessage]
    ) async throws {
        // First, while the stored offsets are still below the batch.
        try await apply([], poison: poison, recording: [])
        for event in events {
            var failures = 0
            while true {
                do {
                    try await apply([event], poison: [], recording: [event.message])
                    break
                } catch {
                    // Lost to another transaction (deadlock, serialization): not the event's fault.
                    if PostgresErrors.isConflict(error) {
                        try? await Task.sleep(for: .milliseconds(50))
                        continue
                    }
                    failures += 1
                    guard await database.isReachable() else { throw error }
                    if failures >= configuration.attemptsBeforeIsolation {
                        logger.error(
                            "Event fails on its own; dead-lettering it",
                            metadata: [
                                "eventId": "\(event.event.id)", "traceparent": "\(event.event.traceparent ?? "-")",
                                "error": "\(String(reflecting: error))",
                            ]
                        )
                        let rejection = EventRejection(
                            eventId: event.event.id, errorClass: "handler-error", message: "the event could not be applied")
                        try await apply([], poison: [], failures: [(event.message, rejection)], recording: [event.message])
                        break
                    }
                }
            }
        }
        try await apply([], poison: [], recording: messages)
    }

    private func deadLetter(_ poison: [(KafkaConsumerMessage, EventRejection)]) async throws {
        guard !poison.isEmpty else { return }
        let messages = poison.map { message, rejection in
            DeadLetter.message(for: message, consumerGroup: groupId, errorClass: rejection.errorClass, errorMessage: rejection.message)
        }
        for (message, rejection) in poison {
            logger.warning(
                "Event dead-lettered",
                metadata: [
                    "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)",
                    "class": "\(rejection.errorClass)", "reason": "\(rejection.message)",
                    "traceparent": "\(message.headers.string(for: CloudEvent.HeaderName.traceparent) ?? "-")",
                ]
            )
            Counter(label: "dlq_messages_total", dimensions: [("consumer", groupId), ("class", rejection.errorClass)]).increment()
        }
        let reports = await producer.send(batch: messages)
        if let failure = reports.first(where: { !$0.isDelivered }) {
            throw failure.error ?? KafkaError(code: .messageTimedOut, name: "_MSG_TIMED_OUT", message: "dead letter not delivered")
        }
    }

    /// Decodes and checks one message: size, envelope, type allowed on its topic and, for platform
    /// input, the payload (``PayloadCheck``). An `lms.*` payload is read once, by its handler's typed
    /// decode, which explains a failure with the same checks (``ConsumedEvent/payload(_:)``).
    private func validate(_ message: KafkaConsumerMessage) -> Result<ConsumedEvent, EventRejection> {
        let fallbackId = message.headers.string(for: CloudEvent.HeaderName.id) ?? "\(message.topic)/\(message.partition)/\(message.offset)"
        func reject(_ errorClass: String, _ text: String) -> Result<ConsumedEvent, EventRejection> {
            .failure(EventRejection(eventId: fallbackId, errorClass: errorClass, message: text))
        }
        if let size = message.value?.count, size > configuration.maximumPayloadBytes {
            return reject("oversized", "payload of \(size) bytes is over the limit of \(configuration.maximumPayloadBytes)")
        }
        let event: CloudEvent
        do {
            event = try CloudEvent.decode(headers: message.headers.map { ($0.key, $0.value ?? []) }, value: message.value)
        } catch {
            return reject("invalid-envelope", error.description)
        }
        guard let topic = Topic(rawValue: message.topic), topic.eventTypes.contains(event.type) else {
            return reject("unknown-type", "event type \(event.type) is not allowed on \(message.topic)")
        }
        if topic.isPlatformInput, let rejection = PayloadCheck.rejection(of: event, eventId: fallbackId) {
            return .failure(rejection)
        }
        return .success(ConsumedEvent(event: event, message: message))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
