import Contracts
import Segments

/// A user as the projection holds it: the last applied version, the status and the profile by
/// field path. An erased user keeps only its status and version.
struct ProjectedUser: Hashable, Sendable {
    var tenantId: String
    var userId: String
    var version: Int64
    var status: UserStatus
    var raw: [String: JSONValue]

    var key: UserKey { UserKey(tenantId: tenantId, userId: userId) }
    var values: SubjectValues { SubjectValues(raw: raw) }

    /// The state after a `lms.user.upserted` snapshot.
    init(snapshot: UserSnapshot) {
        self.tenantId = snapshot.tenantId
        self.userId = snapshot.userId
        self.version = snapshot.version
        self.status = snapshot.status
        self.raw = snapshot.status == .erased ? [:] : SubjectValues.raw(of: snapshot)
    }

    init(tenantId: String, userId: String, version: Int64, status: UserStatus, raw: [String: JSONValue]) {
        self.tenantId = tenantId
        self.userId = userId
        self.version = version
        self.status = status
        self.raw = status == .erased ? [:] : raw
    }

    /// This user after a lifecycle event (`deactivated`, `reactivated`, `erased`) of `version`.
    func applying(_ status: UserStatus, version: Int64) -> ProjectedUser {
        var raw = self.raw
        raw["userId"] = .string(userId)
        raw["status"] = .string(status.rawValue)
        return ProjectedUser(tenantId: tenantId, userId: userId, version: version, status: status, raw: raw)
    }
}
