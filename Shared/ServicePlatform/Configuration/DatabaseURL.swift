import Foundation

/// A parsed `postgres://user[:password]@host[:port]/database` URL.
public struct DatabaseURL: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String

    public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    public init(_ text: String) throws(ConfigurationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme.lowercased())
        else { throw ConfigurationError("expected postgres://user[:password]@host[:port]/database") }
        guard let host = components.host, !host.isEmpty else { throw ConfigurationError("the URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw ConfigurationError("the URL names no user") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw ConfigurationError("the URL names no database") }
        self.init(
            host: host, port: components.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database
        )
    }
}
