import Foundation

/// An admin withdrew a rule-driven enrollment: the rule does not enroll this user in this course again.
package struct RuleExclusion: Codable, Sendable, Equatable {
    package var tenantId: String
    package var ruleId: UUID
    package var courseId: String
    package var userId: String
    package var enrollmentId: UUID
    package var actor: String
    package var reason: String?
    package var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case ruleId = "rule_id"
        case courseId = "course_id"
        case userId = "user_id"
        case enrollmentId = "enrollment_id"
        case actor, reason
        case createdAt = "created_at"
    }
}
