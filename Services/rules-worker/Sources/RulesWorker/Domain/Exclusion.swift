import Foundation

/// A manual withdrawal of a rule-driven enrollment, seen on `lms.enrollments.v1`.
struct Exclusion: Hashable, Sendable {
    var key: ExclusionKey
    /// The rule that had enrolled the user, from the enrollment's `sourceRef` (`<ruleId>@v<version>`).
    var ruleId: UUID?
    var enrollmentId: UUID
    var actor: String
    var reason: String?
}
