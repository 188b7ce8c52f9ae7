/// Every problem found in a criteria tree.
public struct CriteriaValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var issues: [CriteriaIssue]

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
