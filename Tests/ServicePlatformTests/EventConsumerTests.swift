import Contracts
import Foundation
import Kafka
import PostgresNIO
import ServicePlatform
import Synchronization
import TestSupport
import Testing

/// Records each applied activity in `applied`; refuses module `reject-me`; can fail its first calls
/// (with an error of its own, or with PostgreSQL's `deadlock_detected`).
private final class RecordingHandler: EventHandler {
    let failuresLeft: Mutex<Int>
    let deadlocksLeft: Mutex<Int>
    let calls = Mutex(0)

    init(failFirst: Int = 0, deadlockFirst: Int = 0) {
        failuresLeft = Mutex(failFirst)
        deadlocksLeft = Mutex(deadlockFirst)
    }

    struct TransientFailure: Error {}

    func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        calls.withLock { $0 += 1 }
        var rejections: [EventRejection] = []
        var accepted: [(String, String)] = []
        for event in events {
            let payload = try event.payload(LearningActivity.self)
            if payload.moduleId == "reject-me" {
                rejections.append(EventRejection(eventId: event.event.id, errorClass: "unknown-module", message: "no such module"))
            } else {
                accepted.append((event.event.id, payload.userId))
            }
        }
        try await connection.query(
            "INSERT INTO applied (event_id, user_id) SELECT * FROM unnest(\(accepted.map(\.0))::text[], \(accepted.map(\.1))::text[])",
            logger: .init(label: "handler"))
        let fail = failuresLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if fail { throw TransientFailure() }  // after writing: the rollback must undo the writes
        let deadlock = deadlocksLeft.withLock { left in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if deadlock {
            try await connection.query(
                "DO $$ BEGIN RAISE EXCEPTION 'simulated deadlock' USING ERRCODE = '40P01'; END $$", logger: .init(label: "handler"))
        }
        return rejections
    }
}

/// Records each applied `lms.user.upserted` snapshot in `applied`, read with the typed decode only.
private struct SnapshotHandler: EventHandler {
    func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(UserSnapshot.self)
        let ids = batch.items.map(\.event.event.id)
        try await connection.query(
            "INSERT INTO applied (event_id, user_id) SELECT * FROM unnest(\(ids)::text[], \(batch.payloads.map(\.userId))::text[])",
            logger: .init(label: "handler"))
        return batch.rejections
    }
}

private let appliedTable = Migration(
    version: 100, name: "applied", statements: ["CREATE TABLE applied (event_id text NOT NULL, user_id text NOT NULL)"])

@Suite("Event consumer runtime", .serialized, .hangGuard)
struct EventConsumerTests {
    private func run(
        _ environment: PlatformTestEnvironment, handler: some EventHandler, topic: Topic = .platformLearningActivity,
        messages: [KafkaProducerMessage],
        until done: @escaping @Sendable (ServiceDatabase) async throws -> Bool,
        verify: @escaping @Sendable (ServiceDatabase, [KafkaConsumerMessage]) async throws -> Void
    ) async throws {
        let database = environment.database(migrations: [appliedTable])
        let producer = try environment.producer()
        let consumer = try EventConsumer(
            configuration: .init(name: "activity", topics: [topic]), serviceName: "test-\(environment.schema)",
            kafkaBrokers: environment.cluster.bootstrapServers, database: database, producer: producer, handler: handler,
            logger: environment.logger)
        let deadLetters = try environment.consumer(topics: [.deadLetter])
        try await withRunning([database, producer, consumer, deadLetters], logger: environment.logger) {
            try await database.ready()
            let reports = await producer.send(batch: messages)
            #expect(reports.filter(\.isDelivered).count == messages.count)
            #expect(try await eventually { try await done(database) })
            let letters = await collect(deadLetters, timeout: .seconds(8)) { _ in false }
            try await verify(database, letters)
        }
    }

    @Test func theSameEventDeliveredTwiceChangesStateOnce() async throws {
        let environment = try PlatformTestEnvironment()
        let events = try (0..<20).map { try CloudEvent.make(activity(user: "u\($0 % 5)"), source: "/tests") }
        let messages = (events + events.prefix(7)).map { kafkaMessage($0, topic: .platformLearningActivity) }
        try await run(environment, handler: RecordingHandler(), messages: messages) { database in
            try await database.count("SELECT count(*)::int FROM applied") >= 20
        } verify: { database, letters in
            let applied = try await database.count("SELECT count(*)::int FROM applied")
            let distinct = try await database.count("SELECT count(DISTINCT event_id)::int FROM applied")
            #expect(applied == 20)
            #expect(distinct == 20)
            #expect(letters.isEmpty)
        }
    }

    @Test func aFailedBatchCommitsNothingAndIsRetried() async throws {
        let environment = try PlatformTestEnvironment()
        let handler = RecordingHandler(failFirst: 2)
        let events = try (0..<30).map { try CloudEvent.make(activity(user: "u\($0 % 3)"), source: "/tests") }
        try await run(environment, handler: handler, messages: events.map { kafkaMessage($0, topic: .platformLearningActivity) }) {
            try await $0.count("SELECT count(DISTINCT event_id)::int FROM applied") >= 30
        } verify: { database, _ in
            let applied = try await database.count("SELECT count(*)::int FROM applied")
            #expect(applied == 30, "rolled-back attempts left no rows")
        }
        #expect(handler.calls.withLock { $0 } >= 3)
    }

    /// Deadlocks and serialization failures say nothing about the events: the batch is retried as
    /// a whole for as long as they last, never isolated, and nothing is dead-lettered.
    @Test func deadlocksAreRetriedWithoutDeadLetteringAnything() async throws {
        let environment = try PlatformTestEnvironment()
        let handler = RecordingHandler(deadlockFirst: 7)
        let events = try (0..<30).map { try CloudEvent.make(activity(user: "u\($0 % 3)"), source: "/tests") }
        try await run(environment, handler: handler, messages: events.map { kafkaMessage($0, topic: .platformLearningActivity) }) {
            try await $0.count("SELECT count(DISTINCT event_id)::int FROM applied") >= 30
        } verify: { database, letters in
            let applied = try await database.count("SELECT count(*)::int FROM applied")
            #expect(applied == 30)
            #expect(letters.isEmpty, "no event dead-lettered over a deadlock")
        }
        #expect(handler.calls.withLock { $0 } >= 8, "seven failed attempts, then the ones that applied")
    }

    /// An `lms.*` payload reaches its handler without a schema pass: a field a newer producer added
    /// is ignored by the typed decode; a payload that does not decode is dead-lettered by its schema
    /// violations, as platform input is.
    @Test func internalEventsAreReadOnceByTheTypedDecode() async throws {
        let environment = try PlatformTestEnvironment()
        func snapshot(_ userId: String) throws -> CloudEvent {
            try CloudEvent.make(
                UserSnapshot(tenantId: "acme", userId: userId, status: .active, changedFields: [], version: 1, updatedAt: Date()),
                source: "/tests")
        }
        var newer = try snapshot("newer-producer")
        newer.data = Array(("{\"addedLater\":true," + String(decoding: newer.data, as: UTF8.self).dropFirst()).utf8)
        #expect(try !newer.schemaViolations().isEmpty, "the schema refuses the added field")
        var invalid = try snapshot("invalid")
        invalid.data = Array(#"{"tenantId":"acme","unexpected":true}"#.utf8)
        let messages = try [snapshot("plain"), newer, invalid].map { kafkaMessage($0, topic: .users) }
        try await run(environment, handler: SnapshotHandler(), topic: .users, messages: messages) {
            try await $0.count("SELECT count(*)::int FROM applied") >= 2
        } verify: { database, letters in
            let applied = try await database.count("SELECT count(*)::int FROM applied WHERE user_id IN ('plain', 'newer-producer')")
            #expect(applied == 2)
            #expect(letters.compactMap { $0.headers.string(for: "dlq_error_class") } == ["schema-invalid"])
        }
    }

    @Test func poisonMessagesGoToTheDeadLetterQueueAndGoodOnesAreApplied() async throws {
        let environment = try PlatformTestEnvironment()
        let good = try (0..<10).map { try CloudEvent.make(activity(user: "good-\($0)"), source: "/tests") }
        var messages = good.map { kafkaMessage($0, topic: .platformLearningActivity) }

        var malformed = kafkaMessage(try CloudEvent.make(activity(user: "bad-json"), source: "/tests"), topic: .platformLearningActivity)
        malformed.value = Array("{not json".utf8)
        var missingId = kafkaMessage(try CloudEvent.make(activity(user: "no-id"), source: "/tests"), topic: .platformLearningActivity)
        missingId.headers.removeAll { $0.key == "ce_id" }
        var wrongType = try CloudEvent.make(activity(user: "wrong-type"), source: "/tests")
        wrongType.type = .lmsUserUpserted
        var schemaInvalid = try CloudEvent.make(activity(user: "bad-progress"), source: "/tests")
        schemaInvalid.data = Array(
            String(decoding: schemaInvalid.data, as: UTF8.self).replacingOccurrences(of: "\"progress\":0.5", with: "\"progress\":1.5").utf8)
        var otherTenant = try CloudEvent.make(activity(user: "other-tenant"), source: "/tests")
        otherTenant.tenantId = "globex"
        let refused = try CloudEvent.make(activity(user: "refused", module: "reject-me"), source: "/tests")

        let poison = [
            malformed, missingId, kafkaMessage(wrongType, topic: .platformLearningActivity),
            kafkaMessage(schemaInvalid, topic: .platformLearningActivity), kafkaMessage(otherTenant, topic: .platformLearningActivity),
            kafkaMessage(refused, topic: .platformLearningActivity),
        ]
        messages.insert(contentsOf: poison, at: 5)
        try await run(environment, handler: RecordingHandler(), messages: messages) {
            try await $0.count("SELECT count(*)::int FROM applied") >= 10
        } verify: { database, letters in
            let applied = try await database.count("SELECT count(*)::int FROM applied")
            #expect(applied == 10)
            let classes = letters.compactMap { $0.headers.string(for: "dlq_error_class") }.sorted()
            #expect(
                classes == ["invalid-envelope", "malformed-json", "schema-invalid", "tenant-mismatch", "unknown-module", "unknown-type"].sorted())
            for letter in letters {
                #expect(letter.headers.string(for: "dlq_source_topic") == Topic.platformLearningActivity.name)
                #expect(letter.headers.string(for: "dlq_source_offset") != nil)
                #expect(letter.headers.string(for: "dlq_consumer_group")?.hasSuffix(".activity") == true)
                #expect(letter.headers.string(for: "dlq_failed_at") != nil)
                #expect(!(letter.headers.string(for: "dlq_error_message") ?? "").isEmpty)
            }
            let refusedLetter = try #require(letters.first { $0.headers.string(for: "dlq_error_class") == "unknown-module" })
            #expect(refusedLetter.value == refused.data, "the original value is kept unchanged")
            #expect(refusedLetter.keyString == refused.kafkaKey)
            let refusedInInbox = try await database.count("SELECT count(*)::int FROM inbox WHERE event_id = '\(refused.id)'")
            #expect(refusedInInbox == 0, "a refused event is not marked processed, so a fixed replay applies")
        }
    }
}
