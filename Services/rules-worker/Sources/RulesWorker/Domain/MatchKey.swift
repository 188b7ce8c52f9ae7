import Foundation

/// One (rule, user, course) of a tenant: the unit rule decisions are recorded in.
package struct MatchKey: Hashable, Sendable {
    package var tenantId: String
    package var ruleId: UUID
    package var userId: String
    package var courseId: String

    package init(tenantId: String, ruleId: UUID, userId: String, courseId: String) {
        self.tenantId = tenantId
        self.ruleId = ruleId
        self.userId = userId
        self.courseId = courseId
    }
}
