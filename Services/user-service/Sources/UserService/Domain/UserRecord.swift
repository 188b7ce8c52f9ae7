import Contracts
import Foundation

/// A user as the directory holds it: profile, lifecycle status and versions.
///
/// An erased user is a tombstone: the `userId` stays, the profile is gone (`profile == nil`).
struct UserRecord: Hashable, Sendable {
    var key: UserKey
    var profile: UserProfile?
    var status: UserStatus
    /// Increases with every change announced on `lms.users.v1`.
    var version: Int64
    /// The highest `sourceVersion` applied from platform events; older events are stale.
    var sourceVersion: Int64?
    var createdAt: Date
    var updatedAt: Date

    /// The `lms.user.upserted` payload for this state.
    func snapshot(changedFields: [String]) -> UserSnapshot {
        UserSnapshot(
            tenantId: key.tenantId, userId: key.userId, email: profile?.email, givenName: profile?.givenName,
            familyName: profile?.familyName, jobRole: profile?.jobRole, department: profile?.department, location: profile?.location,
            hireDate: profile?.hireDate, managerId: profile?.managerId, attributes: profile?.attributes ?? [:], status: status,
            changedFields: changedFields, version: version, updatedAt: updatedAt)
    }
}
