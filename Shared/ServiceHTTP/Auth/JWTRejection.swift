/// Why a bearer token was refused. For logs only: clients get a bare 401 problem.
public struct JWTRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "token rejected: \(reason)" }
}
