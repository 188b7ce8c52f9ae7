extension PlatformRequestContext {
    /// The caller if it holds one of `roles`, or is a `service` whose token carries `scope`;
    /// else a 403 problem naming what is missing (401 when not authenticated).
    ///
    /// For example `try context.require(anyOf: .admin, orServiceWith: .reportsRebuild)`.
    @discardableResult
    public func require(anyOf roles: Role..., orServiceWith scope: Scope) throws(Problem) -> Identity {
        let identity = try requireIdentity()
        if !identity.roles.isDisjoint(with: roles) || identity.isService(with: scope) { return identity }
        throw Problem.missingScope(scope, identity: identity, roles: Set(roles))
    }

    /// The caller, for routes every user may call (each sees only what it may); a caller whose
    /// only role is `service` must carry `scope` (403 naming it otherwise).
    @discardableResult
    public func requireIdentity(serviceScope scope: Scope) throws(Problem) -> Identity {
        let identity = try requireIdentity()
        if identity.roles == [.service] && !identity.scopes.contains(scope) {
            throw Problem.missingScope(scope, identity: identity)
        }
        return identity
    }
}

extension Problem {
    /// 403 for a caller that lacks both `roles` and `scope`; a `service` caller is told which scope
    /// its token needs.
    public static func missingScope(_ scope: Scope, identity: Identity, roles: Set<Role> = []) -> Problem {
        if identity.has(.service) {
            return .forbidden("This operation requires the scope \(scope.rawValue), which the service token does not carry.")
        }
        let names = roles.map(\.rawValue).sorted()
        let alternatives = names.isEmpty ? "" : "one of the roles \(names.joined(separator: ", ")) or "
        return .forbidden("This operation requires \(alternatives)a service token with the scope \(scope.rawValue).")
    }
}
