import Contracts
import Segments

/// A user as the projection holds it: the last applied version, the status and the profile by
/// field path. An erased user keeps only its status and version.
package struct ProjectedUser: Hashable, Sendable {
    package var tenantId: String
    package var userId: String
    package var version: Int64
    package var status: UserStatus
    package var raw: [String: JSONValue]

    package var key: UserKey { UserKey(tenantId: tenantId, userId: userId) }
    package var values: SubjectValues { SubjectValues(raw: raw) }

    /// The state after a `lms.user.upserted` snapshot.
    package init(snapshot: UserSnapshot) {
        self.tenantId = snapshot.tenantId
        self.userId = snapshot.userId
        self.version = snapshot.version
        self.status = snapshot.status
        self.raw = snapshot.status == .erased ? [:] : SubjectValues.raw(of: snapshot)
    }

    package init(tenantId: String, userId: String, version: Int64, status: UserStatus, raw: [String: JSONValue]) {
        self.tenantId = tenantId
        self.userId = userId
        self.version = version
        self.status = status
        self.raw = status == .erased ? [:] : raw
    }

    /// This user after a lifecycle event (`deactivated`, `reactivated`, `erased`) of `version`.
    package func applying(_ status: UserStatus, version: Int64) -> ProjectedUser {
        var raw = self.raw
        raw["userId"] = .string(userId)
        raw["status"] = .string(status.rawValue)
        return ProjectedUser(tenantId: tenantId, userId: userId, version: version, status: status, raw: raw)
    }
}
