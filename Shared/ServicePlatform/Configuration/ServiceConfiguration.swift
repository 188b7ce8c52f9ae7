import Foundation
import Kafka
import Logging

/// A service's settings, read from the environment variables of the contract:
/// `LMS_DATABASE_URL`, `LMS_KAFKA_BROKERS`, `LMS_JWT_SECRET` or `LMS_JWT_PUBLIC_KEY_FILE`,
/// `LMS_HTTP_PORT`, `LMS_LOG_LEVEL`, `LMS_LOG_FORMAT`.
public struct ServiceConfiguration: Sendable {
    public enum LogFormat: String, Sendable {
        case json, text
    }

    /// The service's name, e.g. `user-service`; also its Kafka client id and consumer-group prefix.
    public var serviceName: String
    public var database: DatabaseURL
    public var kafkaBrokers: String
    /// TLS and SASL towards the brokers (`LMS_KAFKA_SECURITY_PROTOCOL`, `LMS_KAFKA_SASL_*`, `LMS_KAFKA_SSL_*`).
    public var kafkaSecurity: KafkaSecurity = .plaintext
    public var jwtSecret: String?
    public var jwtPublicKeyPEM: String?
    /// Token checks (`iss`, `aud`, lifetime) and RS256 key sets (``JWTSettings``).
    public var jwt = JWTSettings()
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// HTTP timeouts, write rate limits and idempotency retention (``HTTPEdgeSettings``).
    public var httpEdge = HTTPEdgeSettings()

    public init(
        serviceName: String,
        database: DatabaseURL,
        kafkaBrokers: String,
        jwtSecret: String?,
        jwtPublicKeyPEM: String? = nil,
        httpHost: String = "127.0.0.1",
        httpPort: Int,
        logLevel: Logger.Level = .info,
        logFormat: LogFormat = .text
    ) {
        self.serviceName = serviceName
        self.database = database
        self.kafkaBrokers = kafkaBrokers
        self.jwtSecret = jwtSecret
        self.jwtPublicKeyPEM = jwtPublicKeyPEM
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.logLevel = logLevel
        self.logFormat = logFormat
    }

    /// Reads the environment; every problem is reported at once, each naming its variable.
    public static func fromEnvironment(
        serviceName: String,
        defaultPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceConfiguration {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        var database: DatabaseURL?
        if let url = value("LMS_DATABASE_URL") {
            do { database = try DatabaseURL(url) } catch { problems.append("LMS_DATABASE_URL: \(error.message)") }
        } else {
            problems.append("LMS_DATABASE_URL is required (postgres://user[:password]@host[:port]/database)")
        }
        let brokers = value("LMS_KAFKA_BROKERS")
        if brokers == nil { problems.append("LMS_KAFKA_BROKERS is required (host:port[,host:port...])") }

        let secret = value("LMS_JWT_SECRET")
        var publicKey: String?
        if let path = value("LMS_JWT_PUBLIC_KEY_FILE") {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                publicKey = text
            } else {
                problems.append("LMS_JWT_PUBLIC_KEY_FILE: cannot read \(path)")
            }
        }
        let jwt = JWTSettings.fromEnvironment(environment, problems: &problems)
        if secret == nil && publicKey == nil && !jwt.hasKeySet {
            problems.append("LMS_JWT_SECRET, LMS_JWT_PUBLIC_KEY_FILE, LMS_JWT_JWKS_FILE or LMS_JWT_JWKS_URL is required")
        }
        if let secret, secret.utf8.count < 32 {
            problems.append("LMS_JWT_SECRET must be at least 32 bytes")
        }

        var port = defaultPort
        if let raw = value("LMS_HTTP_PORT") {
            if let parsed = Int(raw), (0...65535).contains(parsed) { port = parsed } else { problems.append("LMS_HTTP_PORT: \(raw) is not a port") }
        }
        var level = Logger.Level.info
        if let raw = value("LMS_LOG_LEVEL") {
            if let parsed = Logger.Level(rawValue: raw.lowercased()) {
                level = parsed
            } else {
                problems.append("LMS_LOG_LEVEL: \(raw) is not one of trace, debug, info, notice, warning, error, critical")
            }
        }
        var format = LogFormat.text
        if let raw = value("LMS_LOG_FORMAT") {
            if let parsed = LogFormat(rawValue: raw.lowercased()) {
                format = parsed
            } else {
                problems.append("LMS_LOG_FORMAT: \(raw) is not json or text")
            }
        }

        let kafkaSecurity = KafkaSecurity.fromEnvironment(environment, problems: &problems)
        let httpEdge = HTTPEdgeSettings.fromEnvironment(environment, problems: &problems)
        guard problems.isEmpty, let database, let brokers else { throw ConfigurationError(problems: problems) }
        var configuration = ServiceConfiguration(
            serviceName: serviceName,
            database: database,
            kafkaBrokers: brokers,
            jwtSecret: secret,
            jwtPublicKeyPEM: publicKey,
            httpHost: value("LMS_HTTP_HOST") ?? "0.0.0.0",
            httpPort: port,
            logLevel: level,
            logFormat: format
        )
        configuration.kafkaSecurity = kafkaSecurity
        configuration.jwt = jwt
        configuration.httpEdge = httpEdge
        return configuration
    }
}

/// Startup configuration problems, one line each.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var message: String { problems.joined(separator: "; ") }
    public var description: String { "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }

    public init(problems: [String]) { self.problems = problems }
    public init(_ problem: String) { self.problems = [problem] }
}
