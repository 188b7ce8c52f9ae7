import Contracts
import Foundation
import Kafka
import PostgresNIO
import ServicePlatform
import Synchronization
import TestSupport
import Testing

/// Appends a row per `lms.user.upserted` event it is given, with no guard of its own: applying an
/// event twice shows as two rows, so these tests see exactly what the consumer runtime lets through.
private struct AppendingHandler: EventHandler {
    func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(UserSnapshot.self)
        try await connection.query(
            """
            INSERT INTO applied (event_id, user_id)
            SELECT * FROM unnest(\(batch.items.map(\.event.event.id))::text[], \(batch.payloads.map(\.userId))::text[])
            """,
            logger: .init(label: "handler"))
        return batch.rejections
    }
}

private struct SimulatedCrash: Error {}

private let appliedTable = Migration(
    version: 100, name: "applied", statements: ["CREATE TABLE applied (event_id text NOT NULL, user_id text NOT NULL)"])

/// Consumers of the system's own topics keep their position in the database, in the transaction
/// that applies a batch (``EventConsumer``): Kafka's committed offset may lag behind it, never the
/// effects.
@Suite("Consumer offsets stored with the effects", .serialized, .hangGuard)
struct ConsumerOffsetsTests {
    private func snapshots(_ prefix: String, count: Int) throws -> [KafkaProducerMessage] {
        try (0..<count).map { index in
            let snapshot = UserSnapshot(
                tenantId: "acme", userId: "\(prefix)-\(index)", status: .active, changedFields: [], version: 1, updatedAt: Date())
            return kafkaMessage(try CloudEvent.make(snapshot, source: "/tests"), topic: .users)
        }
    }

    private func consumer(
        _ environment: PlatformTestEnvironment, _ database: ServiceDatabase, _ producer: KafkaProducer, linger: Duration = .milliseconds(2),
        afterCommit: @escaping @Sendable () async throws -> Void = {}
    ) throws -> EventConsumer {
        var configuration = EventConsumer.Configuration(name: "users", topics: [.users])
        configuration.linger = linger
        configuration.afterCommit = afterCommit
        return try EventConsumer(
            configuration: configuration, serviceName: "test-\(environment.schema)", kafkaBrokers: environment.cluster.bootstrapServers,
            database: database, producer: producer, handler: AppendingHandler(), logger: environment.logger)
    }

    private func applied(_ database: ServiceDatabase) async throws -> (rows: Int, distinct: Int) {
        (
            try await database.count("SELECT count(*)::int FROM applied"),
            try await database.count("SELECT count(DISTINCT event_id)::int FROM applied")
        )
    }

    /// The consumer dies after its transaction committed and before Kafka heard of the offsets (the
    /// hook throws there, so nothing reaches Kafka), and its partitions move to the next member of
    /// the group, which starts at the offsets stored with the effects: it neither applies nor even
    /// reads those events again.
    @Test func aCrashBetweenTheCommitAndKafkasOffsetCommitAppliesNothingTwice() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database(migrations: [appliedTable])
        let producer = try environment.producer()
        try await withRunning([database, producer], logger: environment.logger) {
            try await database.ready()
            let first = try snapshots("first", count: 40)
            #expect(await producer.send(batch: first).allSatisfy(\.isDelivered))
            let crashing = try consumer(environment, database, producer) { throw SimulatedCrash() }
            try await withRunning([crashing], logger: environment.logger) {
                let done = try await eventually { try await applied(database).rows >= 40 }
                #expect(done)
            }
            let stored = try await database.count("SELECT coalesce(sum(next_offset), 0)::int FROM consumer_offsets")
            #expect(stored == 40, "the offsets of all 40 events were stored with them")

            let second = try snapshots("second", count: 60)
            #expect(await producer.send(batch: second).allSatisfy(\.isDelivered))
            let successor = try consumer(environment, database, producer)
            try await withRunning([successor], logger: environment.logger) {
                let done = try await eventually { try await applied(database).rows >= 100 }
                #expect(done)
            }
            let result = try await applied(database)
            #expect(result.rows == 100, "every event applied once")
            #expect(result.distinct == 100)
            #expect(successor.skippedDuplicates.load(ordering: .relaxed) == 0, "the successor started at the stored offsets")
        }
    }

    /// A member is in the middle of a batch (committed, offsets not yet stored in Kafka) when a
    /// second member joins: the partitions are assigned anew while messages are in hand and in
    /// flight, and no event is applied twice. (Whether a revoked partition's messages were already
    /// in a batch depends on timing, so re-reads are not counted here; the test above shows the
    /// start at the stored offsets.)
    @Test func aRebalanceInTheMiddleOfABatchAppliesNothingTwice() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database(migrations: [appliedTable])
        let producer = try environment.producer()
        let secondJoined = Mutex(false)
        let batches = Mutex(0)
        try await withRunning([database, producer], logger: environment.logger) {
            try await database.ready()
            #expect(await producer.send(batch: try snapshots("first", count: 40)).allSatisfy(\.isDelivered))
            // A long linger: the first batch holds all 40, so no later batch of this member moves Kafka's offsets past them.
            let first = try consumer(environment, database, producer, linger: .seconds(2)) {
                guard
                    batches.withLock({
                        $0 += 1
                        return $0
                    }) == 1
                else { return }
                // Mid-batch until the second member has joined; then this batch's offsets never reach Kafka.
                while !secondJoined.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
                throw SimulatedCrash()
            }
            try await withRunning([first], logger: environment.logger) {
                #expect(try await eventually { try await applied(database).rows > 0 })
                let second = try consumer(environment, database, producer)
                try await withRunning([second], logger: environment.logger) {
                    secondJoined.withLock { $0 = true }
                    #expect(try await eventually { try await applied(database).rows >= 40 })
                    // Events sent after the rebalance land behind any re-read in each partition.
                    #expect(await producer.send(batch: try snapshots("second", count: 120)).allSatisfy(\.isDelivered))
                    #expect(try await eventually(timeout: .seconds(60)) { try await applied(database).rows >= 160 })
                    let result = try await applied(database)
                    #expect(result.rows == 160, "every event applied once")
                    #expect(result.distinct == 160)
                }
            }
        }
    }

    /// A message below the stored offset is skipped even when Kafka delivers it (here: the stored
    /// offsets were moved ahead by hand while the consumer ran, as a former owner's commit would).
    @Test func messagesBelowTheStoredOffsetAreSkippedWhenKafkaDeliversThem() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database(migrations: [appliedTable])
        let producer = try environment.producer()
        try await withRunning([database, producer], logger: environment.logger) {
            try await database.ready()
            let consumer = try consumer(environment, database, producer)
            try await withRunning([consumer], logger: environment.logger) {
                #expect(await producer.send(batch: try snapshots("first", count: 40)).allSatisfy(\.isDelivered))
                #expect(try await eventually { try await applied(database).rows >= 40 })
                // Every partition's stored offset now claims 1,000 more messages were applied.
                let group = "test-\(environment.schema).users"
                try await database.client.query(
                    """
                    INSERT INTO consumer_offsets AS o (consumer, topic, partition, next_offset)
                    SELECT \(group), 'lms.users.v1', p, 1000 FROM generate_series(0, 11) AS p
                    ON CONFLICT (consumer, topic, partition) DO UPDATE SET next_offset = o.next_offset + 1000
                    """, logger: environment.logger)
                #expect(await producer.send(batch: try snapshots("second", count: 40)).allSatisfy(\.isDelivered))
                #expect(try await eventually { consumer.skippedDuplicates.load(ordering: .relaxed) >= 40 })
            }
            #expect(try await applied(database).rows == 40, "nothing below the stored offsets was applied")
        }
    }

    /// A stored offset past the end of its partition means the log was recreated (a development
    /// broker restarted, say): the partition is read from its start instead of skipped.
    @Test func storedOffsetsPastTheEndOfTheLogAreReset() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database(migrations: [appliedTable])
        let producer = try environment.producer()
        try await withRunning([database, producer], logger: environment.logger) {
            try await database.ready()
            let group = "test-\(environment.schema).users"
            try await database.client.query(
                """
                INSERT INTO consumer_offsets (consumer, topic, partition, next_offset)
                SELECT \(group), 'lms.users.v1', p, 500 FROM generate_series(0, 11) AS p
                """, logger: environment.logger)
            #expect(await producer.send(batch: try snapshots("fresh-log", count: 30)).allSatisfy(\.isDelivered))
            let consumer = try consumer(environment, database, producer)
            try await withRunning([consumer], logger: environment.logger) {
                let done = try await eventually { try await applied(database).rows >= 30 }
                #expect(done)
            }
            #expect(try await applied(database).rows == 30)
            #expect(try await database.count("SELECT count(*)::int FROM consumer_offsets WHERE next_offset >= 500") == 0)
        }
    }
}
