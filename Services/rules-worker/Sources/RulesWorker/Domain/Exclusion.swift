import Foundation

/// A manual withdrawal of a rule-driven enrollment, seen on `lms.enrollments.v1`.
package struct Exclusion: Hashable, Sendable {
    package var key: ExclusionKey
    /// The rule that had enrolled the user, from the enrollment's `sourceRef` (`<ruleId>@v<version>`).
    package var ruleId: UUID?
    package var enrollmentId: UUID
    package var actor: String
    package var reason: String?

    package init(key: ExclusionKey, ruleId: UUID? = nil, enrollmentId: UUID, actor: String, reason: String? = nil) {
        self.key = key
        self.ruleId = ruleId
        self.enrollmentId = enrollmentId
        self.actor = actor
        self.reason = reason
    }
}
