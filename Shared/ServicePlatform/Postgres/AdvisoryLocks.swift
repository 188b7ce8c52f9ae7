import Logging
import PostgresNIO

/// Transaction-scoped advisory locks on text keys (`"progress.course/acme/safety"`), for
/// serialising writers that touch no common row. One statement takes every lock, in one global
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
}
