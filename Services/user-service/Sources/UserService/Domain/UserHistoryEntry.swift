import Contracts
import Foundation

/// One row of a user's change history: who changed what, when, and why.
///
/// `changes` holds each changed field's old and new value (stored as `{"<field>": {"from": ..., "to": ...}}`;
/// `nil` for creations, whose values are the profile itself). It is personal data, so an erase sets
/// it (and `reason`) to `nil` in every earlier entry.
struct UserHistoryEntry: Hashable, Sendable {
    var key: UserKey
    var version: Int64
    /// `created`, `updated`, `deactivated`, `reactivated` or `erased`.
    var action: String
    var changedFields: [String]
    var changes: [FieldChange]?
    var reason: String?
    var actor: String
    var origin: UserChangeOrigin
    var correlationId: String?
    var occurredAt: Date
}
