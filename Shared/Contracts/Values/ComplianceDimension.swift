/// The profile field a compliance report groups by.
public enum ComplianceDimension: String, CaseIterable, Hashable, Sendable, Codable {
    case department
    case location
    case jobRole
}
