import Contracts

/// A stored row that breaks the table's invariants (the schema's checks make this a bug, not input).
package struct UserRowError: Error, Hashable, Sendable, CustomStringConvertible {
    package var key: UserKey
    package var column: String

    package var description: String { "users row \(key) has an invalid \(column)" }
}
