import Contracts

/// A stored row that breaks the table's invariants (the schema's checks make this a bug, not input).
struct UserRowError: Error, Hashable, Sendable, CustomStringConvertible {
    var key: UserKey
    var column: String

    var description: String { "users row \(key) has an invalid \(column)" }
}
