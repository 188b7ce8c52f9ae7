import Logging
import PostgresNIO

/// Keeps the planner's statistics of a service's tables current while they grow fast.
///
/// autovacuum analyses a table at most once a minute, after a tenth of it changed. A table that
/// grows from nothing to 50,000 rows in half a minute (a new installation's first rule backfill) is
/// planned all that time with the statistics of an empty table: enrollment-service's lookup of each
/// learner's latest enrollment then probed the index by course and filtered by learner, reading the
/// whole course for every learner (8.5 s for one batch; docs/performance.md). PostgreSQL's advice
/// after bulk loading is to run `ANALYZE`; this does it as the loading happens, for tables that
/// have doubled (at least `minimumChanges` rows changed since their last analysis), with a small
/// sample: what the planner lacks is the order of magnitude, and a full sample of a table of JSON
/// profiles took 1.4 s. autovacuum's later, full analysis replaces these statistics.
public enum TableStatistics {
    /// Every `interval`, analyses the tables of the database's schema that changed by at least
    /// `fraction` of their rows, and by at least `minimumChanges` rows, since they were last analysed.
    public static func keeper(
        database: ServiceDatabase, interval: Duration = .seconds(5), fraction: Double = 1, minimumChanges: Int = 1_000, logger: Logger
    ) -> PeriodicService {
        PeriodicService(name: "Table statistics", interval: interval, database: database, logger: logger) {
            let analysed = try await analyseChanged(database, fraction: fraction, minimumChanges: minimumChanges, logger: logger)
            if !analysed.isEmpty { logger.debug("Analysed tables", metadata: ["tables": "\(analysed.joined(separator: ","))"]) }
        }
    }

    /// Analyses the tables of the schema changed beyond the thresholds; returns their names.
    @discardableResult
    public static func analyseChanged(
        _ database: ServiceDatabase, fraction: Double = 1, minimumChanges: Int = 1_000, logger: Logger
    ) async throws -> [String] {
        // reltuples is -1 for a table never analysed: its threshold is then `minimumChanges`.
        let rows = try await database.client.query(
            """
            SELECT s.relname::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = \(database.schema)
              AND s.n_mod_since_analyze >= greatest(\(minimumChanges)::float8, c.reltuples * \(fraction)::float8)
            ORDER BY s.relname
            """,
            logger: logger
        )
        var tables: [String] = []
        for try await name in rows.decode(String.self) { tables.append(name) }
        for table in tables {
            let name = "\(database.schema.quotedIdentifier).\(table.quotedIdentifier)"
            try await database.transaction { connection in
                // 10 × 300 rows sampled instead of 100 × 300.
                try await connection.query("SET LOCAL default_statistics_target = 10", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(name)"), logger: logger)
            }
        }
        return tables
    }
}
