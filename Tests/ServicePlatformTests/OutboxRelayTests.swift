import Contracts
import Foundation
import Kafka
import PostgresNIO
import ServicePlatform
import Synchronization
import TestSupport
import Testing

@Suite("Outbox relay", .serialized, .hangGuard)
struct OutboxRelayTests {
    /// Enqueues `rounds` transactions from three concurrent writers, each touching its own learners.
    private func writeEvents(_ database: ServiceDatabase, rounds: Int) async throws -> [CloudEvent] {
        try await withThrowingTaskGroup(of: [CloudEvent].self) { group in
            for writer in 0..<3 {
                group.addTask {
                    var written: [CloudEvent] = []
                    for round in 0..<rounds {
                        let events = try (0..<4).map { learner in
                            var payload = activity(user: "w\(writer)-u\(learner)")
                            payload.durationSeconds = round
                            return try OutboxEvent(payload, source: "/tests", time: Date())
                        }
                        try await database.transaction { connection in
                            try await Outbox.enqueue(events, on: connection, logger: database.logger)
                        }
                        written += events.map(\.event)
                    }
                    return written
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    @Test func publishesEveryEventInCommitOrderPerKey() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let producer = try environment.producer()
        let relay = OutboxRelay(database: database, producer: producer, logger: environment.logger)
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let (written, received) = try await withRunning([database, producer, relay, probe], logger: environment.logger) {
            try await database.ready()
            let written = try await writeEvents(database, rounds: 25)
            let ids = Set(written.map(\.id))
            let received = await collect(probe) { messages in
                Set(messages.compactMap { $0.headers.string(for: "ce_id") }).isSuperset(of: ids)
            }
            #expect(try await eventually { try await database.count("SELECT count(*)::int FROM outbox") == 0 }, "delivered rows are deleted")
            return (written, received)
        }
        #expect(Set(received.compactMap { $0.headers.string(for: "ce_id") }) == Set(written.map(\.id)))
        var rounds: [String: [Int]] = [:]
        for message in received {
            let payload = try LMSJSON.decode(LearningActivity.self, from: message.value ?? [])
            rounds[message.keyString ?? "", default: []].append(payload.durationSeconds ?? -1)
            #expect(message.headers.string(for: "ce_type") == "platform.learning.activity")
            #expect(message.headers.string(for: "ce_tenantid") == "acme")
        }
        #expect(rounds.count == 12)
        for (key, sequence) in rounds { #expect(sequence == Array(0..<25), "commit order of \(key)") }
    }

    @Test func aCrashBetweenPublishAndDeleteRepublishesWithTheSameIds() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let producer = try environment.producer()
        let crashes = Mutex(1)
        struct SimulatedCrash: Error {}
        let relay = OutboxRelay(database: database, producer: producer, logger: environment.logger) {
            let crash = crashes.withLock { remaining in
                defer { remaining = max(0, remaining - 1) }
                return remaining > 0
            }
            if crash { throw SimulatedCrash() }
        }
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let (written, received) = try await withRunning([database, producer, relay, probe], logger: environment.logger) {
            try await database.ready()
            let written = try await writeEvents(database, rounds: 2)
            let received = await collect(probe, timeout: .seconds(15)) { _ in false }
            #expect(try await eventually { try await database.count("SELECT count(*)::int FROM outbox") == 0 })
            return (written, received)
        }
        let receivedIds = received.compactMap { $0.headers.string(for: "ce_id") }
        let writtenIds = Set(written.map { $0.id })
        #expect(Set(receivedIds) == writtenIds, "nothing lost")
        #expect(receivedIds.count > Set(receivedIds).count, "the batch published before the crash was published again")
    }

    /// A replica of the version before deletion marked rows published (a rolling upgrade): the new
    /// leader removes them without publishing them again, and publishes the rest.
    @Test func rowsMarkedPublishedByThePreviousVersionAreRemovedNotRepublished() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let producer = try environment.producer()
        let relay = OutboxRelay(database: database, producer: producer, logger: environment.logger)
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let (marked, pending, received) = try await withRunning([database], logger: environment.logger) {
            try await database.ready()
            let marked = try await writeEvents(database, rounds: 1)
            try await database.client.query("UPDATE outbox SET published_at = now()", logger: environment.logger)
            let pending = try await writeEvents(database, rounds: 1)
            let ids = Set(pending.map(\.id))
            let received = try await withRunning([producer, relay, probe], logger: environment.logger) {
                let received = await collect(probe) { messages in
                    Set(messages.compactMap { $0.headers.string(for: "ce_id") }).isSuperset(of: ids)
                }
                let emptied = try await eventually { try await database.count("SELECT count(*)::int FROM outbox") == 0 }
                #expect(emptied)
                return received
            }
            return (marked, pending, received)
        }
        let receivedIds = Set(received.compactMap { $0.headers.string(for: "ce_id") })
        #expect(receivedIds == Set(pending.map(\.id)))
        // Each key has a marked event before its pending one, in the same partition: a republished
        // marked event would have arrived before the pending event the probe waited for.
        #expect(receivedIds.isDisjoint(with: marked.map(\.id)), "rows already published are not published again")
    }

    @Test func aStandbyRelayPublishesNothingWhileTheLeaderRuns() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let producer = try environment.producer()
        let leader = OutboxRelay(database: database, producer: producer, logger: environment.logger)
        let standby = OutboxRelay(database: database, producer: producer, logger: environment.logger)
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let (written, received) = try await withRunning([database, producer, leader, standby, probe], logger: environment.logger) {
            try await database.ready()
            let written = try await writeEvents(database, rounds: 10)
            let received = await collect(probe, timeout: .seconds(10)) { _ in false }
            return (written, received)
        }
        #expect(received.count == written.count, "each event published exactly once with two relays")
    }

    /// With polling out of the picture (every ten minutes), a commit that enqueued events wakes the
    /// leader of its own process at once, and a standby replica passes its commits on to the leader.
    @Test func commitsWakeTheLeaderFromThisProcessAndFromAStandby() async throws {
        let environment = try PlatformTestEnvironment()
        let replicas = [environment.database(), environment.database()]
        let producer = try environment.producer()
        var configuration = OutboxRelay.Configuration()
        configuration.pollInterval = .seconds(600)
        let relays = replicas.map { OutboxRelay(database: $0, producer: producer, configuration: configuration, logger: environment.logger) }
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let leaders = """
            SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
              AND ((classid::bigint << 32) | objid::bigint) = hashtext('lms.outbox.\(environment.schema)')::bigint
            """
        let (written, received) = try await withRunning(replicas + [producer] + relays + [probe], logger: environment.logger) {
            for replica in replicas { try await replica.ready() }
            #expect(try await eventually { try await replicas[0].count(leaders) == 1 }, "one relay leads")
            // One replica at a time, so that neither path can ride on the other's wake.
            var written: [[CloudEvent]] = []
            var received: [[KafkaConsumerMessage]] = []
            for replica in replicas {
                written.append(try await writeEvents(replica, rounds: 2))
                let ids = Set(written.last!.map(\.id))
                received.append(
                    await collect(probe, timeout: .seconds(15)) { messages in
                        Set(messages.compactMap { $0.headers.string(for: "ce_id") }).isSuperset(of: ids)
                    })
            }
            return (written, received)
        }
        for (events, messages) in zip(written, received) {
            #expect(Set(messages.compactMap { $0.headers.string(for: "ce_id") }) == Set(events.map(\.id)), "published without a poll")
        }
    }

    /// The leader's connection dies (as in a PostgreSQL restart): the relay gives up the dead
    /// connection, leads again on a new one and publishes what is written afterwards.
    @Test func aLeaderWhoseConnectionDiesLeadsAgainOnANewOne() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let producer = try environment.producer()
        let relay = OutboxRelay(database: database, producer: producer, logger: environment.logger)
        let probe = try environment.consumer(topics: [.platformLearningActivity])
        let leaderPid = """
            SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1
              AND ((classid::bigint << 32) | objid::bigint) = hashtext('lms.outbox.\(environment.schema)')::bigint
            """
        let (written, received) = try await withRunning([database, producer, relay, probe], logger: environment.logger) {
            try await database.ready()
            var written = try await writeEvents(database, rounds: 2)
            #expect(try await eventually { try await database.count("SELECT count(*)::int FROM outbox") == 0 })
            let terminated = try await database.count("SELECT count(*)::int FROM (SELECT pg_terminate_backend(pid) FROM (\(leaderPid)) AS l) AS t")
            #expect(terminated == 1, "the leader's connection was found and terminated")
            written += try await writeEvents(database, rounds: 2)
            let ids = Set(written.map(\.id))
            let received = await collect(probe, timeout: .seconds(30)) { messages in
                Set(messages.compactMap { $0.headers.string(for: "ce_id") }).isSuperset(of: ids)
            }
            #expect(try await eventually { try await database.count("SELECT count(*)::int FROM outbox") == 0 })
            return (written, received)
        }
        #expect(Set(received.compactMap { $0.headers.string(for: "ce_id") }) == Set(written.map(\.id)), "nothing lost")
    }
}
