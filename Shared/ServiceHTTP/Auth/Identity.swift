/// The authenticated caller of a request, taken from its bearer token.
public struct Identity: Sendable, Hashable {
    /// The token's `sub`.
    public var userId: String
    /// The token's `tenant`; every query of the request is scoped to it.
    public var tenantId: String
    /// The token's known roles (unknown role names are dropped).
    public var roles: Set<Role>

    public init(userId: String, tenantId: String, roles: Set<Role>) {
        self.userId = userId
        self.tenantId = tenantId
        self.roles = roles
    }

    public func has(_ role: Role) -> Bool {
        roles.contains(role)
    }
}
