import Foundation
import Segments

/// Enrolls the users matching a segment (or inline criteria) in courses: its ``RuleDefinition``
/// (whose fields read as the rule's own, `rule.name`) plus identity, status and version. Rows
/// decode with ``RowJSON``.
@dynamicMemberLookup
package struct Rule: Sendable, Hashable, Decodable {
    package var tenantId: String
    package var ruleId: UUID
    package var definition: RuleDefinition
    package var status: RuleStatus
    /// Bumped by every change (definition, activation, pause).
    package var version: Int64
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        tenantId: String, ruleId: UUID, definition: RuleDefinition, status: RuleStatus, version: Int64, createdAt: Date, updatedAt: Date
    ) {
        self.tenantId = tenantId
        self.ruleId = ruleId
        self.definition = definition
        self.status = status
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    package subscript<Value>(dynamicMember field: WritableKeyPath<RuleDefinition, Value>) -> Value {
        get { definition[keyPath: field] }
        set { definition[keyPath: field] = newValue }
    }

    private enum CodingKeys: CodingKey {
        case tenantId, ruleId, status, version, createdAt, updatedAt
    }

    /// A row holds the definition's fields next to the others.
    package init(from decoder: any Decoder) throws {
        let row = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tenantId: try row.decode(String.self, forKey: .tenantId), ruleId: try row.decode(UUID.self, forKey: .ruleId),
            definition: try RuleDefinition(from: decoder), status: try row.decode(RuleStatus.self, forKey: .status),
            version: try row.decode(Int64.self, forKey: .version), createdAt: try row.decode(Date.self, forKey: .createdAt),
            updatedAt: try row.decode(Date.self, forKey: .updatedAt))
    }

    /// Active and inside its effective window at `now` (`effectiveFrom` inclusive, `effectiveTo` exclusive).
    package func isInEffect(at now: Date) -> Bool {
        guard status == .active else { return false }
        if let effectiveFrom = definition.effectiveFrom, now < effectiveFrom { return false }
        if let effectiveTo = definition.effectiveTo, now >= effectiveTo { return false }
        return true
    }
}
