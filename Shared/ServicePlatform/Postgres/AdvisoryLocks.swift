import Logging
import PostgresNIO

/// Advisory locks on text keys (`"progress.course/acme/safety"`), for serialising writers that
/// touch no common row, and for work one replica at a time does (``tryLock(singleton:on:logger:)``). One statement takes every lock, in one global
/// order (by hash), so batches locking overlapping key sets never deadlock on them.
///
/// Services share one database: keys start with the owner's name. A query that derives its keys
/// from a table hashes them with ``hash(_:)`` so its locks meet the ones taken here.
public enum AdvisoryLocks {
    public enum Mode: Sendable {
        /// Excludes every other holder of the key.
        case exclusive
        /// Excludes only exclusive holders: readers that must not overlap a change, but may overlap each other.
        case shared

        /// The locking function for this mode.
        public var function: String {
            switch self {
            case .exclusive: "pg_advisory_xact_lock"
            case .shared: "pg_advisory_xact_lock_shared"
            }
        }
    }

    /// The SQL expression of a key's lock id (`expression` is a text expression). The id includes the
    /// connection's schema (the service's, by its `search_path`): replicas of a service share their
    /// locks, while two services or test instances on other schemas of the database never meet.
    public static func hash(_ expression: String) -> String {
        "hashtextextended(current_schema() || '/' || \(expression), 0)"
    }

    /// Takes the locks of `keys` (duplicates allowed) until the transaction ends.
    public static func lock(
        _ keys: some Collection<String>,
        _ mode: Mode = .exclusive,
        on connection: PostgresConnection,
        logger: Logger
    )
        async throws
    {
        guard !keys.isEmpty else { return }
        try await connection.query(
            """
            SELECT count(\(unescaped: mode.function)(k)) FROM (
                SELECT DISTINCT \(unescaped: hash("key")) AS k FROM unnest(\(Array(keys))::text[]) AS x(key) ORDER BY k
            ) AS locks
            """,
            logger: logger
        )
    }

    /// Tries the transaction-scoped lock of `name` (`"report-publisher"`) without waiting: true when
    /// this transaction holds it until it ends, false when another one (another replica) does. For
    /// work one replica at a time does; the others skip it.
    public static func tryLock(singleton name: String, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT pg_try_advisory_xact_lock(\(unescaped: hash("key"))) FROM (SELECT \(name)::text AS key) AS x",
            logger: logger
        )
        var locked = false
        for try await value in rows.decode(Bool.self) { locked = value }
        return locked
    }

    /// Runs `body` holding the session-level lock of `key`, waiting for it; for work outside a
    /// transaction (a transaction-scoped lock would end with the first statement's implicit one).
    /// The lock is released when `body` returns or throws.
    public static func withSessionLock<Result>(
        _ key: String,
        on connection: PostgresConnection,
        logger: Logger,
        _ body: () async throws -> Result
    ) async throws -> Result {
        try await connection.query("SELECT pg_advisory_lock(\(unescaped: hash("key"))) FROM (SELECT \(key)::text AS key) AS x", logger: logger)
        let result: Result
        do {
            result = try await body()
        } catch {
            _ = try? await unlock(key, on: connection, logger: logger)
            throw error
        }
        try await unlock(key, on: connection, logger: logger)
        return result
    }

    private static func unlock(_ key: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_unlock(\(unescaped: hash("key"))) FROM (SELECT \(key)::text AS key) AS x", logger: logger)
    }
}
