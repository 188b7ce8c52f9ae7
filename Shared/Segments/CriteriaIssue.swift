/// One problem of a criteria tree: `field` is its path (`criteria.all[2].op`).
public struct CriteriaIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
