import PostgresNIO

/// Which database errors say nothing about the work itself, so that running the same transaction
/// again can succeed.
public enum PostgresErrors {
    /// Retrying can succeed: the transaction lost to another one (``isConflict(_:)``) or the
    /// connection was lost (``isConnectionLoss(_:)``).
    public static func isRetryable(_ error: any Error) -> Bool {
        isConflict(error) || isConnectionLoss(error)
    }

    /// The transaction lost to a concurrent one: any transaction rollback (class 40: serialization
    /// failure, deadlock) or lock not available (`55P03`, a `NOWAIT` or `lock_timeout`).
    public static func isConflict(_ error: any Error) -> Bool {
        guard let sqlState = sqlState(of: error) else { return false }
        return sqlState.hasPrefix("40") || sqlState == "55P03"
    }

    /// The connection went away: closed under the transaction (``ServiceDatabase/ConnectionClosed``,
    /// a closed or failed channel), a connection exception (class 08) or the server ending the
    /// session (`57P01` admin shutdown, `57P02` crash shutdown, `57P03` cannot connect now).
    public static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is ServiceDatabase.ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
        default: break
        }
        guard let sqlState = error.serverInfo?[.sqlState] else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// The SQLSTATE of a server error (`40P01`).
    public static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
