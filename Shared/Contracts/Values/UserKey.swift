/// One user of one tenant: the tenant and the platform's `userId`.
public struct UserKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var tenantId: String
    public var userId: String

    public init(tenantId: String, userId: String) {
        self.tenantId = tenantId
        self.userId = userId
    }

    public static func < (lhs: UserKey, rhs: UserKey) -> Bool {
        (lhs.tenantId, lhs.userId) < (rhs.tenantId, rhs.userId)
    }

    /// `tenantId/userId`, the Kafka key form.
    public var description: String { "\(tenantId)/\(userId)" }
}
