import Foundation
import PostgresNIO

/// A parsed `postgres://user[:password]@host[:port]/database[?sslmode=...&sslrootcert=...]` URL.
///
/// The query takes libpq's names: `sslmode` (`disable`, the default, `require`, `verify-ca`,
/// `verify-full`) and `sslrootcert` (a PEM file of the CA certificates to trust; without it the
/// `verify-*` modes trust the system's roots). As in libpq, `require` with an `sslrootcert`
/// verifies the chain like `verify-ca`. The CA file is read and parsed here, so a bad one stops
/// the service at start; any other query parameter is refused rather than ignored.
public struct DatabaseURL: Sendable, Hashable {
    /// How the connection is protected (libpq's `sslmode`).
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS, but the server's certificate is not checked (unless `sslrootcert` is given).
        case require
        /// TLS with a certificate signed by a trusted CA, for any host name.
        case verifyCA = "verify-ca"
        /// TLS with a certificate signed by a trusted CA that names the host connected to.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    /// The CA certificates of `sslrootcert`; `nil` trusts the system's roots.
    public var trustedCertificates: [NIOSSLCertificate]?

    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String,
        sslMode: SSLMode = .disable,
        trustedCertificates: [NIOSSLCertificate]? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
        self.trustedCertificates = trustedCertificates
    }

    public init(_ text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw ConfigurationError("expected postgres://user[:password]@host[:port]/database[?sslmode=...]") }
        guard let host = components.host, !host.isEmpty else { throw ConfigurationError("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw ConfigurationError("the URL names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ConfigurationError("the URL names no database") }
        var sslMode = SSLMode.disable
        var trusted: [NIOSSLCertificate]?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let modes = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ConfigurationError("sslmode=\(value) is not one of \(modes)")
                }
                sslMode = mode
            case "sslrootcert":
                trusted = try Self.certificates(in: value)
            default:
                throw ConfigurationError("unknown query parameter \(item.name) (supported: sslmode, sslrootcert)")
            }
        }
        self.init(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 },
            database: database,
            sslMode: sslMode,
            trustedCertificates: trusted
        )
    }

    /// The TLS settings for `sslMode`, or `nil` for `disable`.
    public var tlsConfiguration: TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .require: configuration.certificateVerification = trustedCertificates == nil ? .none : .noHostnameVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let trustedCertificates { configuration.trustRoots = .certificates(trustedCertificates) }
        return configuration
    }

    /// A `PostgresClient` configuration for this URL; with `schema`, sessions search it first.
    public func clientConfiguration(schema: String? = nil) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tlsConfiguration.map { .require($0) } ?? .disable
        )
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        return configuration
    }

    private static func certificates(in path: String) throws(ConfigurationError) -> [NIOSSLCertificate] {
        guard !path.isEmpty, let bytes = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("sslrootcert: cannot read \(path.isEmpty ? "(empty path)" : path)")
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(bytes)), !certificates.isEmpty else {
            throw ConfigurationError("sslrootcert: \(path) holds no PEM certificate")
        }
        return certificates
    }
}
