import Foundation

/// One (rule, user, course) of a tenant: the unit rule decisions are recorded in.
struct MatchKey: Hashable, Sendable {
    var tenantId: String
    var ruleId: UUID
    var userId: String
    var courseId: String
}
