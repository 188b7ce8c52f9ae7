/// A boolean SQL expression with `$n` placeholders numbered after the caller's own parameters.
public struct SQLFragment: Hashable, Sendable {
    public var sql: String
    public var binds: [SQLValue]
}
