/// One problem of a criteria tree: `field` is its path (`criteria.all[2].op`).
public struct CriteriaIssue: Hashable, Sendable, Codable, CustomStringConvertible {
    public var field: String
    public var message: String

    public var description: String { "\(field): \(message)" }
}
