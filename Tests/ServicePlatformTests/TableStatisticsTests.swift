import PostgresNIO
import ServicePlatform
import TestSupport
import Testing

@Suite("Table statistics", .hangGuard)
struct TableStatisticsTests {
    /// A table that has doubled since its last analysis is analysed (the planner then knows its
    /// size); one that grew by less is left to autovacuum.
    @Test func aTableThatDoubledIsAnalysedAndOneThatGrewLessIsNot() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            try await database.client.query("CREATE TABLE grown (id int PRIMARY KEY)", logger: logger)
            try await database.client.query("INSERT INTO grown SELECT generate_series(1, 2000)", logger: logger)
            // The statistics system reports a backend's changes within about a second.
            let analysed = try await eventually { try await TableStatistics.analyseChanged(database, logger: logger).contains("grown") }
            #expect(analysed)
            let reltuples = "SELECT reltuples::int FROM pg_class WHERE oid = '\(database.schema).grown'::regclass"
            #expect(try await database.count(reltuples) == 2000, "the planner knows the size")

            try await database.client.query("INSERT INTO grown SELECT generate_series(2001, 3500)", logger: logger)
            let pending = "SELECT n_mod_since_analyze::int FROM pg_stat_user_tables WHERE schemaname = '\(database.schema)' AND relname = 'grown'"
            #expect(try await eventually { try await database.count(pending) == 1500 })
            #expect(try await TableStatistics.analyseChanged(database, logger: logger).isEmpty, "1,500 changes on 2,000 rows")
            #expect(try await database.count(reltuples) == 2000)
        }
    }
}
