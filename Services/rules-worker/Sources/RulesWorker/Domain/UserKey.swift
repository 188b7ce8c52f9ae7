/// A user of a tenant.
struct UserKey: Hashable, Comparable, Sendable {
    var tenantId: String
    var userId: String

    static func < (lhs: UserKey, rhs: UserKey) -> Bool {
        (lhs.tenantId, lhs.userId) < (rhs.tenantId, rhs.userId)
    }
}
