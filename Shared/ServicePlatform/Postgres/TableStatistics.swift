import Logging
import PostgresNIO

/// Keeps the planner's statistics of a service's tables current while they grow fast.
///
/// autovacuum analyses a table at most once a minute, after a tenth of it changed. A table that
/// grows from nothing to 50,000 rows in half a minute (a new installation's first rule backfill) is
/// planned all that time with the statistics of an empty table: enrollment-service's lookup of each
/// learner's latest enrollment then probed the index by course and filtered by learner, reading the
/// whole course for every learner (8.5 s for one batch; docs/performance.md). PostgreSQL's advice
/// after bulk loading is to run `ANALYZE`; this does it as the loading happens, for tables whose
/// live rows have at least doubled since their last analysis (and number at least `minimumRows`),
/// with a small sample: what the planner lacks is the order of magnitude, and a full sample of a
/// table of JSON profiles took 1.4 s. Tables that churn without growing are left to autovacuum, whose
/// full analysis also replaces these statistics later.
public enum TableStatistics {
    /// Every `interval`, on one replica at a time, analyses the schema's tables that have grown by
    /// `growth` times since their last analysis.
    public static func keeper(
        database: ServiceDatabase, interval: Duration = .seconds(5), growth: Double = 2, minimumRows: Int = 1_000, logger: Logger
    ) -> PeriodicService {
        PeriodicService(
            name: "Table statistics", interval: interval, database: database, logger: logger, singleton: "\(database.schema).table-statistics"
        ) { connection in
            let analysed = try await analyseGrown(
                schema: database.schema, growth: growth, minimumRows: minimumRows, on: connection, logger: logger)
            if !analysed.isEmpty { logger.debug("Analysed tables", metadata: ["tables": "\(analysed.joined(separator: ","))"]) }
        }
    }

    /// Analyses, inside the caller's transaction, the tables of `schema` that have grown beyond the
    /// thresholds; returns their names. A table another session is analysing or vacuuming is skipped.
    @discardableResult
    public static func analyseGrown(
        schema: String, growth: Double = 2, minimumRows: Int = 1_000, on connection: PostgresConnection, logger: Logger
    ) async throws -> [String] {
        // reltuples is -1 for a table never analysed: its threshold is then `minimumRows`.
        let rows = try await connection.query(
            """
            SELECT s.relname::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = \(schema) AND s.n_live_tup >= greatest(\(minimumRows)::float8, c.reltuples * \(growth)::float8)
            ORDER BY s.relname
            """,
            logger: logger
        )
        var tables: [String] = []
        for try await name in rows.decode(String.self) { tables.append(name) }
        guard !tables.isEmpty else { return [] }
        // 10 × 300 rows sampled instead of 100 × 300.
        try await connection.query("SET LOCAL default_statistics_target = 10", logger: logger)
        for table in tables {
            let name = "\(schema.quotedIdentifier).\(table.quotedIdentifier)"
            try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE (SKIP_LOCKED) \(name)"), logger: logger)
        }
        return tables
    }
}
