import Contracts
import Foundation

/// A user as the directory holds it: profile, lifecycle status and versions.
///
/// An erased user is a tombstone: the `userId` stays, the profile is gone (`profile == nil`).
package struct UserRecord: Hashable, Sendable {
    package var key: UserKey
    package var profile: UserProfile?
    package var status: UserStatus
    /// Increases with every change announced on `lms.users.v1`.
    package var version: Int64
    /// The highest `sourceVersion` applied from platform events; older events are stale.
    package var sourceVersion: Int64?
    package var createdAt: Date
    package var updatedAt: Date

    /// The `lms.user.upserted` payload for this state.
    package func snapshot(changedFields: [String]) -> UserSnapshot {
        UserSnapshot(
            tenantId: key.tenantId, userId: key.userId, email: profile?.email, givenName: profile?.givenName,
            familyName: profile?.familyName, jobRole: profile?.jobRole, department: profile?.department, location: profile?.location,
            hireDate: profile?.hireDate, managerId: profile?.managerId, attributes: profile?.attributes ?? [:], status: status,
            changedFields: changedFields, version: version, updatedAt: updatedAt)
    }
}
