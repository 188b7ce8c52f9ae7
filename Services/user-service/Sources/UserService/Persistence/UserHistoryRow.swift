import Contracts
import Foundation

/// A `user_history` row as ``UserRepository`` inserts it (one element of a `jsonb` array).
struct UserHistoryRow: Encodable, Sendable {
    /// One changed field's values in `changes`: `{"from": ..., "to": ...}`, `null` for an empty value.
    struct Values: Encodable, Sendable {
        var from: JSONValue
        var to: JSONValue
    }

    var tenantId: String
    var userId: String
    var version: Int64
    var action: String
    var changedFields: [String]
    /// `{"<field>": {"from": ..., "to": ...}}`; absent (so `NULL`) for creations and wiped entries.
    var changes: [String: Values]?
    var reason: String?
    var actor: String
    var origin: String
    var correlationId: String?
    var occurredAt: Date

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case userId = "user_id"
        case version, action
        case changedFields = "changed_fields"
        case changes, reason, actor
        case origin
        case correlationId = "correlation_id"
        case occurredAt = "occurred_at"
    }

    init(_ entry: UserHistoryEntry) {
        tenantId = entry.key.tenantId
        userId = entry.key.userId
        version = entry.version
        action = entry.action
        changedFields = entry.changedFields
        changes = entry.changes.map { changes in
            Dictionary(changes.map { ($0.field, Values(from: $0.from ?? .null, to: $0.to ?? .null)) }, uniquingKeysWith: { _, last in last })
        }
        reason = entry.reason
        actor = entry.actor
        origin = entry.origin.rawValue
        correlationId = entry.correlationId
        occurredAt = entry.occurredAt
    }
}
