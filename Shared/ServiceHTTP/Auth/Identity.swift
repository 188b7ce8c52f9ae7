/// The authenticated caller of a request, taken from its bearer token.
public struct Identity: Sendable, Hashable {
    /// The token's `sub`.
    public var userId: String
    /// The token's `tenant`; every query of the request is scoped to it.
    public var tenantId: String
    /// The token's known roles (unknown role names are dropped).
    public var roles: Set<Role>
    /// The token's known scopes (`scope` or `scp`; unknown names are dropped).
    public var scopes: Set<Scope>

    public init(userId: String, tenantId: String, roles: Set<Role>, scopes: Set<Scope> = []) {
        self.userId = userId
        self.tenantId = tenantId
        self.roles = roles
        self.scopes = scopes
    }

    public func has(_ role: Role) -> Bool {
        roles.contains(role)
    }

    /// Whether the caller is a `service` whose token carries `scope`. Scopes mean nothing without
    /// the `service` role, and the `service` role means nothing without the scope.
    public func isService(with scope: Scope) -> Bool {
        roles.contains(.service) && scopes.contains(scope)
    }
}
