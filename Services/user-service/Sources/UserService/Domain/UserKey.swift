/// Identifies one user: the tenant and the platform's `userId`.
struct UserKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    var tenantId: String
    var userId: String

    static func < (lhs: UserKey, rhs: UserKey) -> Bool {
        (lhs.tenantId, lhs.userId) < (rhs.tenantId, rhs.userId)
    }

    var description: String { "\(tenantId)/\(userId)" }
}
