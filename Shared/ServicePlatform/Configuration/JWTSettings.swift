import Foundation

/// How a service checks bearer tokens beyond their signature, and where its RS256 key sets come
/// from. The static keys (`LMS_JWT_SECRET`, `LMS_JWT_PUBLIC_KEY_FILE`) stay in
/// ``ServiceConfiguration``.
///
/// | variable | meaning |
/// |---|---|
/// | `LMS_JWT_ISSUER` | when set, a token's `iss` must equal it |
/// | `LMS_JWT_AUDIENCE` | when set, a token's `aud` (a string or an array) must contain it |
/// | `LMS_JWT_MAX_LIFETIME` | seconds a token may live (`exp - iat`, or `exp - now` without `iat`); default 86400 |
/// | `LMS_JWT_JWKS_FILE` | a JWKS document (RFC 7517) with RS256 keys, each with a `kid` |
/// | `LMS_JWT_JWKS_URL` | the same, fetched at start, every ``jwksRefreshInterval`` and on an unknown `kid` |
public struct JWTSettings: Sendable, Hashable {
    /// The default ``maximumLifetime``: 24 hours.
    public static let defaultMaximumLifetime: Duration = .seconds(86_400)

    public var issuer: String?
    public var audience: String?
    public var maximumLifetime: Duration = Self.defaultMaximumLifetime
    /// The text of `LMS_JWT_JWKS_FILE`.
    public var jwksJSON: String?
    public var jwksURL: URL?
    /// How often a JWKS URL is fetched again.
    public var jwksRefreshInterval: Duration = .seconds(300)
    /// The shortest time between two fetches of a JWKS URL, however many unknown `kid`s arrive.
    public var jwksMinimumRefreshInterval: Duration = .seconds(30)

    public init(
        issuer: String? = nil,
        audience: String? = nil,
        maximumLifetime: Duration = Self.defaultMaximumLifetime,
        jwksJSON: String? = nil,
        jwksURL: URL? = nil
    ) {
        self.issuer = issuer
        self.audience = audience
        self.maximumLifetime = maximumLifetime
        self.jwksJSON = jwksJSON
        self.jwksURL = jwksURL
    }

    /// Whether an RS256 key set (file or URL) is configured.
    public var hasKeySet: Bool { jwksJSON != nil || jwksURL != nil }

    /// The settings from `environment`; each unusable value adds a line to `problems`.
    public static func fromEnvironment(_ environment: [String: String], problems: inout [String]) -> JWTSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        var settings = JWTSettings(issuer: value("LMS_JWT_ISSUER"), audience: value("LMS_JWT_AUDIENCE"))
        if let raw = value("LMS_JWT_MAX_LIFETIME") {
            if let seconds = Int64(raw), seconds > 0 {
                settings.maximumLifetime = .seconds(seconds)
            } else {
                problems.append("LMS_JWT_MAX_LIFETIME: \(raw) is not a positive number of seconds")
            }
        }
        if let path = value("LMS_JWT_JWKS_FILE") {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) {
                if let problem = Self.keySetProblem(text) {
                    problems.append("LMS_JWT_JWKS_FILE: \(path) \(problem)")
                } else {
                    settings.jwksJSON = text
                }
            } else {
                problems.append("LMS_JWT_JWKS_FILE: cannot read \(path)")
            }
        }
        if let raw = value("LMS_JWT_JWKS_URL") {
            if let url = URL(string: raw), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
                scheme == "https" || (scheme == "http" && Self.isLoopback(host))
            {
                settings.jwksURL = url
            } else {
                problems.append("LMS_JWT_JWKS_URL: \(raw) is not an https URL (plain http only on a loopback host)")
            }
        }
        return settings
    }

    /// Why `text` is not a JWKS document with at least one key that has a `kid`, or `nil`.
    /// The keys themselves are checked when the verifier loads them.
    public static func keySetProblem(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let keys = object["keys"] as? [[String: Any]]
        else { return "is not a JWKS document ({\"keys\": [...]})" }
        guard keys.contains(where: { ($0["kid"] as? String)?.isEmpty == false }) else { return "holds no key with a kid" }
        return nil
    }

    private static func isLoopback(_ host: String) -> Bool {
        ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
    }
}
