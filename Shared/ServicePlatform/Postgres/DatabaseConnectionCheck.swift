import Logging
import PostgresNIO

/// One connection opened before the pool's first use, so that a server the service must not or
/// cannot talk to stops the start at once with the reason: a TLS refusal (certificate for another
/// host, unknown CA, server without TLS under `sslmode=require`) or an authentication refusal
/// (`pg_hba.conf` rejects the connection, wrong password, unknown database). The pool alone
/// would retry such a connection for a minute and then report only a tripped circuit breaker.
///
/// A server that does not answer yet (connection refused, timeout, starting up) is no refusal:
/// the check logs it and leaves the retries to the pool, as before.
struct DatabaseConnectionCheck {
    let url: DatabaseURL
    let logger: Logger

    /// The server refused the connection for a reason that retrying does not change.
    struct Refused: Error, CustomStringConvertible {
        let url: DatabaseURL
        let reason: String

        var description: String {
            "PostgreSQL at \(url.host):\(url.port) (sslmode=\(url.sslMode.rawValue)) refused the connection: \(reason)"
        }
    }

    func run() async throws {
        let tls: PostgresConnection.Configuration.TLS
        if let configuration = url.tlsConfiguration {
            tls = .require(try NIOSSLContext(configuration: configuration))
        } else {
            tls = .disable
        }
        var configuration = PostgresConnection.Configuration(
            host: url.host,
            port: url.port,
            username: url.username,
            password: url.password,
            database: url.database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            if let reason = Self.refusal(error) { throw Refused(url: url, reason: reason) }
            logger.warning(
                "PostgreSQL does not answer yet; the pool keeps trying",
                metadata: ["host": "\(url.host):\(url.port)", "error": "\(String(reflecting: error))"]
            )
        }
    }

    /// Why `error` is a lasting refusal, or `nil` when the server may still come.
    static func refusal(_ error: any Error) -> String? {
        if let tls = tlsFailure(error) { return "TLS: \(tls)" }
        guard let error = error as? PSQLError else { return nil }
        if let underlying = error.underlying, let tls = tlsFailure(underlying) { return "TLS: \(tls)" }
        switch error.code {
        case .sslUnsupported: return "the server does not offer TLS"
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest: return "TLS: \(error.code)"
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError: return "authentication: \(error.code)"
        case .server:
            // Class 28 is an authorization refusal (pg_hba.conf, password), 3D an unknown database.
            guard let state = error.serverInfo?[.sqlState], state.hasPrefix("28") || state.hasPrefix("3D") else { return nil }
            return "\(error.serverInfo?[.message] ?? state) (SQLSTATE \(state))"
        default: return nil
        }
    }

    private static func tlsFailure(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLExtraError: String(describing: error)
        case let error as NIOSSLError: String(describing: error)
        case let error as BoringSSLError: String(describing: error)
        default: nil
        }
    }
}
