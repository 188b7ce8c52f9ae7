import ServicePlatform
import TestSupport
import Testing

@Suite("Migrations", .serialized)
struct MigrationRunnerTests {
    @Test func concurrentStartsApplyEachMigrationOnce() async throws {
        let environment = try PlatformTestEnvironment()
        let migrations = [
            Migration(version: 100, name: "widgets", statements: ["CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL)"]),
            Migration(version: 101, name: "seed", statements: ["INSERT INTO widgets VALUES (1, 'first')"]),
        ]
        let replicas = (0..<4).map { _ in environment.database(migrations: migrations) }
        try await withRunning(replicas, logger: environment.logger) {
            for replica in replicas { try await replica.ready() }
            let database = replicas[0]
            #expect(try await database.count("SELECT count(*)::int FROM schema_migrations WHERE version >= 100") == 2)
            #expect(try await database.count("SELECT count(*)::int FROM schema_migrations") == 6, "four platform migrations + two")
            #expect(try await database.count("SELECT count(*)::int FROM widgets") == 1)
            #expect(try await database.count("SELECT count(*)::int FROM outbox") == 0, "platform tables exist in the schema")
        }
        // A later start with one more migration applies only the new one.
        let upgraded = environment.database(
            migrations: migrations + [Migration(version: 102, name: "more", statements: ["INSERT INTO widgets VALUES (2, 'second')"])]
        )
        try await withRunning([upgraded], logger: environment.logger) {
            try await upgraded.ready()
            #expect(try await upgraded.count("SELECT count(*)::int FROM widgets") == 2)
            #expect(try await upgraded.count("SELECT max(version)::int FROM schema_migrations") == 102)
        }
    }

    @Test func aFailingMigrationLeavesNothingHalfApplied() async throws {
        let environment = try PlatformTestEnvironment()
        let broken = environment.database(migrations: [
            Migration(version: 100, name: "ok", statements: ["CREATE TABLE kept (id int)"]),
            Migration(version: 101, name: "broken", statements: ["CREATE TABLE nope (id int", "SELECT 1"]),
        ])
        await #expect(throws: (any Error).self) {
            try await withRunning([broken], logger: environment.logger) { try await broken.ready() }
        }
        let fixed = environment.database(migrations: [
            Migration(version: 100, name: "ok", statements: ["CREATE TABLE kept (id int)"])
        ])
        try await withRunning([fixed], logger: environment.logger) {
            try await fixed.ready()
            #expect(try await fixed.count("SELECT count(*)::int FROM schema_migrations WHERE version >= 100") == 1)
        }
    }
}
