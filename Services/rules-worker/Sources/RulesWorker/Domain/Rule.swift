import Foundation
import Segments

/// Enrolls the users matching a segment (or inline criteria) in courses.
struct Rule: Sendable, Hashable {
    var tenantId: String
    var ruleId: UUID
    var name: String
    var description: String?
    var segmentId: UUID?
    var criteria: Criteria?
    var courseIds: [String]
    var status: RuleStatus
    var backfill: Bool
    var onUnmatch: OnUnmatch
    var dueInDays: Int?
    /// The enrollments the rule makes are mandatory: learners cannot withdraw themselves.
    var mandatory: Bool = true
    var effectiveFrom: Date?
    var effectiveTo: Date?
    /// Bumped by every change (definition, activation, pause).
    var version: Int64
    var createdAt: Date
    var updatedAt: Date

    /// Active and inside its effective window at `now` (`effectiveFrom` inclusive, `effectiveTo` exclusive).
    func isInEffect(at now: Date) -> Bool {
        guard status == .active else { return false }
        if let effectiveFrom, now < effectiveFrom { return false }
        if let effectiveTo, now >= effectiveTo { return false }
        return true
    }
}
