import Foundation
import Segments

/// Enrolls the users matching a segment (or inline criteria) in courses (rows decode with ``RowJSON``).
package struct Rule: Sendable, Hashable, Decodable {
    package var tenantId: String
    package var ruleId: UUID
    package var name: String
    package var description: String?
    package var segmentId: UUID?
    package var criteria: Criteria?
    package var courseIds: [String]
    package var status: RuleStatus
    package var backfill: Bool
    package var onUnmatch: OnUnmatch
    package var dueInDays: Int?
    /// The enrollments the rule makes are mandatory: learners cannot withdraw themselves.
    package var mandatory: Bool = true
    package var effectiveFrom: Date?
    package var effectiveTo: Date?
    /// Bumped by every change (definition, activation, pause).
    package var version: Int64
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        tenantId: String, ruleId: UUID, name: String, description: String? = nil, segmentId: UUID? = nil, criteria: Criteria? = nil,
        courseIds: [String], status: RuleStatus, backfill: Bool, onUnmatch: OnUnmatch, dueInDays: Int? = nil, mandatory: Bool = true,
        effectiveFrom: Date? = nil, effectiveTo: Date? = nil, version: Int64, createdAt: Date, updatedAt: Date
    ) {
        self.tenantId = tenantId
        self.ruleId = ruleId
        self.name = name
        self.description = description
        self.segmentId = segmentId
        self.criteria = criteria
        self.courseIds = courseIds
        self.status = status
        self.backfill = backfill
        self.onUnmatch = onUnmatch
        self.dueInDays = dueInDays
        self.mandatory = mandatory
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Active and inside its effective window at `now` (`effectiveFrom` inclusive, `effectiveTo` exclusive).
    package func isInEffect(at now: Date) -> Bool {
        guard status == .active else { return false }
        if let effectiveFrom, now < effectiveFrom { return false }
        if let effectiveTo, now >= effectiveTo { return false }
        return true
    }
}
