import Contracts
import Foundation

/// One row of a user's change history: who changed what, when, and why.
///
/// `changes` holds each changed field's old and new value (stored as `{"<field>": {"from": ..., "to": ...}}`;
/// `nil` for creations, whose values are the profile itself). It is personal data, so an erase sets
/// it (and `reason`) to `nil` in every earlier entry.
package struct UserHistoryEntry: Hashable, Sendable {
    package var key: UserKey
    package var version: Int64
    /// `created`, `updated`, `deactivated`, `reactivated` or `erased`.
    package var action: String
    package var changedFields: [String]
    package var changes: [FieldChange]?
    package var reason: String?
    package var actor: String
    package var origin: UserChangeOrigin
    package var correlationId: String?
    package var occurredAt: Date
}
