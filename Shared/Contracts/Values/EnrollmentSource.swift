/// How an enrollment came to be; `sourceRef` names the admin, key, rule (+ version) or import.
public enum EnrollmentSource: String, CaseIterable, Hashable, Sendable, Codable {
    case manual
    /// Wire value `self` (`.self` cannot name an enum case in Swift).
    case selfEnrollment = "self"
    case rule
    case `import`
    case api
}
