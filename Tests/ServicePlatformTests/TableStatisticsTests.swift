import Logging
import PostgresNIO
import ServicePlatform
import TestSupport
import Testing

@Suite("Table statistics", .hangGuard)
struct TableStatisticsTests {
    /// A table that has doubled since its last analysis is analysed (the planner then knows its
    /// size); one that grew by less is left to autovacuum (switched off for this table, so that only
    /// the keeper analyses it).
    @Test func aTableThatDoubledIsAnalysedAndOneThatGrewLessIsNot() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            try await database.client.query("CREATE TABLE grown (id int PRIMARY KEY) WITH (autovacuum_enabled = off)", logger: logger)
            try await database.client.query("INSERT INTO grown SELECT generate_series(1, 2000)", logger: logger)
            let live = "SELECT n_live_tup::int FROM pg_stat_user_tables WHERE schemaname = '\(database.schema)' AND relname = 'grown'"
            // The statistics system reports a backend's changes within about a second.
            #expect(try await eventually { try await database.count(live) == 2000 })
            #expect(try await analyse(database, logger) == ["grown"])
            let reltuples = "SELECT reltuples::int FROM pg_class WHERE oid = '\(database.schema).grown'::regclass"
            #expect(try await database.count(reltuples) == 2000, "the planner knows the size")

            try await database.client.query("INSERT INTO grown SELECT generate_series(2001, 3500)", logger: logger)
            #expect(try await eventually { try await database.count(live) == 3500 })
            #expect(try await analyse(database, logger).isEmpty, "3,500 rows against 2,000 analysed")
            #expect(try await database.count(reltuples) == 2000)
        }
    }

    private func analyse(_ database: ServiceDatabase, _ logger: Logger) async throws -> [String] {
        try await database.transaction { connection in
            try await TableStatistics.analyseGrown(schema: database.schema, on: connection, logger: logger)
        }
    }
}
