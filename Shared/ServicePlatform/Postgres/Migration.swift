/// One versioned step of a service's schema. Statements run in order, in one transaction with
/// the other pending migrations. Versions are never edited once released: add a new one.
public struct Migration: Sendable, Hashable {
    public var version: Int
    public var name: String
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
