import Foundation
import Logging
import PostgresNIO

/// Applies pending migrations of one schema in version order, recorded in `schema_migrations`.
/// A transaction-scoped advisory lock per schema serialises concurrent starts of several
/// replicas: the first applies, the others wait and then find nothing left to do.
struct MigrationRunner {
    let schema: String
    let migrations: [Migration]
    let logger: Logger

    func migrate(_ client: PostgresClient) async throws {
        let ordered = migrations.sorted { $0.version < $1.version }
        precondition(Set(ordered.map(\.version)).count == ordered.count, "duplicate migration versions in \(schema)")
        let lockKey = "lms.migrations.\(schema)"
        let applied: [Int] = try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: logger)
            // A service role that owns its schema but may not create schemas (scripts/lib/service-roles.sql)
            // would be refused even `CREATE SCHEMA IF NOT EXISTS`: create it only when it is missing.
            let exists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", logger: logger).collect()
            if exists.isEmpty {
                try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema.quotedIdentifier)"), logger: logger)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var done = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) {
                done.insert(version)
            }
            var newlyApplied: [Int] = []
            for migration in ordered where !done.contains(migration.version) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
        if applied.isEmpty {
            logger.debug("Schema up to date", metadata: ["schema": "\(schema)"])
        } else {
            logger.info("Schema migrated", metadata: ["schema": "\(schema)", "versions": "\(applied)"])
        }
    }
}
