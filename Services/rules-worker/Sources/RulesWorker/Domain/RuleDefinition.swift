import Foundation
import Segments

/// What an admin defines of a rule (everything but identity, status and version); decodes from a
/// `rules` row.
package struct RuleDefinition: Hashable, Sendable, Decodable {
    package var name: String
    package var description: String?
    package var segmentId: UUID?
    package var criteria: Criteria?
    package var courseIds: [String]
    package var backfill: Bool
    package var onUnmatch: OnUnmatch
    package var dueInDays: Int?
    package var effectiveFrom: Date?
    package var effectiveTo: Date?
    /// The enrollments the rule makes are mandatory (the default).
    package var mandatory: Bool

    package init(
        name: String,
        description: String?,
        segmentId: UUID?,
        criteria: Criteria?,
        courseIds: [String],
        backfill: Bool,
        onUnmatch: OnUnmatch,
        dueInDays: Int?,
        effectiveFrom: Date?,
        effectiveTo: Date?,
        mandatory: Bool = true
    ) {
        self.name = name
        self.description = description
        self.segmentId = segmentId
        self.criteria = criteria
        self.courseIds = courseIds
        self.backfill = backfill
        self.onUnmatch = onUnmatch
        self.dueInDays = dueInDays
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.mandatory = mandatory
    }
}
