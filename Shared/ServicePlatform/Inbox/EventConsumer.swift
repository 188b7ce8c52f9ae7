import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// The consumer runtime every service uses: pulls batches from Kafka, decodes and validates the
/// CloudEvents, drops events already processed (the inbox), applies the rest with the
/// ``EventHandler`` in one transaction, records their ids, commits, dead-letters what was refused,
/// and only then stores the offsets.
///
/// - Poison messages (undecodable, unknown type, schema-invalid, tenant mismatch, handler
///   rejection) go to `lms.dlq.v1` with the reason; the batch goes on without them.
/// - A failing transaction is retried with backoff and never skipped. If it keeps failing while
///   the database answers, the batch is applied one event at a time so that only the event that
///   fails on its own goes to the dead-letter queue.
public final class EventConsumer: Service, Sendable {
    public struct Configuration: Sendable {
        /// The consumer's name, unique within the service: with the service name it forms the
        /// consumer group (`<service>.<name>`) and the inbox scope.
        public var name: String
        public var topics: [Topic]
        public var maxBatchSize: Int = 1_000
        public var linger: Duration = .milliseconds(2)
        public var attemptsBeforeIsolation = 3
        /// Larger payloads are refused unread (class `oversized`): no event of the contract comes
        /// near it, and parsing megabytes of hostile JSON per message is a cheap way to stall a consumer.
        public var maximumPayloadBytes = 256 * 1024

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
    private let logger: Logger
    private let consumed: Counter
    private let duplicates: Counter
    private let batchTimer: Timer

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
        self.groupId = "\(serviceName).\(configuration.name)"
        self.configuration = configuration
        var consumerConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: kafkaBrokers,
            groupId: groupId,
            topics: configuration.topics.map(\.name),
            clientId: groupId
        )
        consumerConfiguration.security = kafkaSecurity
        self.consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        self.producer = producer
        self.database = database
        self.handler = handler
        var logger = logger
        logger[metadataKey: "consumer"] = "\(groupId)"
        self.logger = logger
        self.consumed = Counter(label: "events_consumed_total", dimensions: [("consumer", groupId)])
        self.duplicates = Counter(label: "events_duplicate_total", dimensions: [("consumer", groupId)])
        self.batchTimer = Timer(label: "event_batch_duration_seconds", dimensions: [("consumer", groupId)])
    }

    /// The value of a librdkafka property as this consumer's client has it, e.g. `security.protocol`.
    package func kafkaConfigurationValue(_ name: String) -> String? { consumer.configurationValue(name) }

    public func run() async throws {
        try await database.ready()
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
                let rejections: [EventRejection]
                let isolate = attempt >= configuration.attemptsBeforeIsolation ? await database.isReachable() : false
                if !isolate {
                    rejections = try await apply(valid)
                } else {
                    rejections = try await applyIsolated(valid)
                }
                let byId = Dictionary(valid.map { ($0.event.id, $0.message) }, uniquingKeysWith: { first, _ in first })
                poison += rejections.compactMap { rejection in byId[rejection.eventId].map { ($0, rejection) } }
                try await deadLetter(poison)
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
        consumer.storeOffsets(for: batch)
        consumed.increment(by: batch.count)
        batchTimer.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
    }

    /// Applies the batch in one transaction. Returns the handler's rejections.
    private func apply(_ events: [ConsumedEvent]) async throws -> [EventRejection] {
        guard !events.isEmpty else { return [] }
        let (groupId, handler, logger) = (groupId, handler, logger)
        let result = try await database.transaction { connection in
            let ids = events.map(\.event.id)
            var claimed = Set<String>()
            let rows = try await connection.query(
                """
                INSERT INTO inbox (consumer, event_id) SELECT \(groupId), id FROM unnest(\(ids)::text[]) AS id
                ON CONFLICT DO NOTHING RETURNING event_id
                """,
                logger: logger
            )
            for try await id in rows.decode(String.self) { claimed.insert(id) }
            var seen = Set<String>()
            let fresh = events.filter { claimed.contains($0.event.id) && seen.insert($0.event.id).inserted }
            let rejections = fresh.isEmpty ? [] : try await handler.handle(fresh, on: connection)
            if !rejections.isEmpty {
                // Refused events are not "processed": a replay from the dead-letter queue must apply them.
                let refused = rejections.map(\.eventId)
                try await connection.query(
                    "DELETE FROM inbox WHERE consumer = \(groupId) AND event_id = ANY(\(refused))",
                    logger: logger
                )
            }
            return (rejections, events.count - fresh.count)
        }
        if result.1 > 0 { duplicates.increment(by: result.1) }
        return result.0
    }

    /// Applies each event in its own transaction; an event that fails on its own is rejected.
    private func applyIsolated(_ events: [ConsumedEvent]) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        for event in events {
            var failures = 0
            while true {
                do {
                    rejections += try await apply([event])
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
                        rejections.append(
                            EventRejection(eventId: event.event.id, errorClass: "handler-error", message: "the event could not be applied")
                        )
                        break
                    }
                }
            }
        }
        return rejections
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
