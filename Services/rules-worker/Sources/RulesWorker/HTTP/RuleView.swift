import Contracts
import Foundation
import Hummingbird
import Segments

/// A rule as the API returns it, with whether it is in effect now and its latest job.
package struct RuleView: ResponseEncodable, Sendable {
    package var rule: Rule
    package var inEffect: Bool
    package var job: Job?

    /// The view of what a ``RuleBook`` use case returns.
    package init(_ state: (rule: Rule, inEffect: Bool, job: Job?)) {
        (rule, inEffect, job) = state
    }

    private enum CodingKeys: String, CodingKey {
        case ruleId, name, description, segmentId, criteria, courseIds, status, backfill, onUnmatch, dueInDays, mandatory, effectiveFrom, effectiveTo
        case version, inEffect, createdAt, updatedAt, job
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule.ruleId.lowercasedString, forKey: .ruleId)
        try container.encode(rule.name, forKey: .name)
        try container.encodeIfPresent(rule.description, forKey: .description)
        try container.encodeIfPresent(rule.segmentId?.lowercasedString, forKey: .segmentId)
        try container.encodeIfPresent(rule.criteria, forKey: .criteria)
        try container.encode(rule.courseIds, forKey: .courseIds)
        try container.encode(rule.status, forKey: .status)
        try container.encode(rule.backfill, forKey: .backfill)
        try container.encode(rule.onUnmatch, forKey: .onUnmatch)
        try container.encodeIfPresent(rule.dueInDays, forKey: .dueInDays)
        try container.encode(rule.mandatory, forKey: .mandatory)
        try container.encodeIfPresent(rule.effectiveFrom, forKey: .effectiveFrom)
        try container.encodeIfPresent(rule.effectiveTo, forKey: .effectiveTo)
        try container.encode(rule.version, forKey: .version)
        try container.encode(inEffect, forKey: .inEffect)
        try container.encode(rule.createdAt, forKey: .createdAt)
        try container.encode(rule.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(job.map(JobView.init), forKey: .job)
    }
}
