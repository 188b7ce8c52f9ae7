import Foundation
import Segments

extension Rule: Decodable {
    private enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case ruleId = "rule_id"
        case name, description
        case segmentId = "segment_id"
        case criteria
        case courseIds = "course_ids"
        case status, backfill
        case onUnmatch = "on_unmatch"
        case dueInDays = "due_in_days"
        case mandatory
        case effectiveFrom = "effective_from"
        case effectiveTo = "effective_to"
        case version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Reads a `rules` row selected as `to_jsonb(r)`.
    package init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tenantId: try row.decode(String.self, forKey: .tenantId),
            ruleId: try row.decode(UUID.self, forKey: .ruleId),
            name: try row.decode(String.self, forKey: .name),
            description: try row.decodeIfPresent(String.self, forKey: .description),
            segmentId: try row.decodeIfPresent(UUID.self, forKey: .segmentId),
            criteria: try row.decodeIfPresent(Criteria.self, forKey: .criteria),
            courseIds: try row.decode([String].self, forKey: .courseIds),
            status: try row.decode(RuleStatus.self, forKey: .status),
            backfill: try row.decode(Bool.self, forKey: .backfill),
            onUnmatch: try row.decode(OnUnmatch.self, forKey: .onUnmatch),
            dueInDays: try row.decodeIfPresent(Int.self, forKey: .dueInDays),
            mandatory: try row.decode(Bool.self, forKey: .mandatory),
            effectiveFrom: try row.decodeIfPresent(Date.self, forKey: .effectiveFrom),
            effectiveTo: try row.decodeIfPresent(Date.self, forKey: .effectiveTo),
            version: try row.decode(Int64.self, forKey: .version),
            createdAt: try row.decode(Date.self, forKey: .createdAt),
            updatedAt: try row.decode(Date.self, forKey: .updatedAt)
        )
    }
}
