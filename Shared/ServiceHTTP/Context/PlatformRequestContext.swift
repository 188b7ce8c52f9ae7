import Hummingbird

/// What the platform's middleware needs from a request context; ``AppRequestContext`` is the
/// implementation services use.
public protocol PlatformRequestContext: RequestContext {
    /// The authenticated caller, set by ``JWTAuthenticator``.
    var identity: Identity? { get set }
    /// The request's correlation id (`X-Request-Id`), set by ``RequestLoggingMiddleware``.
    var requestId: String { get set }
    /// W3C `traceparent` for work this request causes (events it produces), with this request's
    /// own span as parent; set by ``RequestLoggingMiddleware``.
    var traceparent: String? { get set }
    /// Set by ``IdempotencyMiddleware`` on a write with an `Idempotency-Key`, for the handler to
    /// name the user its answer concerns.
    var idempotency: IdempotencyNote? { get set }
}

extension PlatformRequestContext {
    /// The caller, or a 401 problem when the request is not authenticated.
    public func requireIdentity() throws(Problem) -> Identity {
        guard let identity else { throw Problem.unauthorized() }
        return identity
    }

    /// The caller if it holds at least one of `roles` (exactly: `admin` does not imply the others),
    /// else a 403 problem (401 when not authenticated).
    @discardableResult
    public func require(anyOf roles: Role...) throws(Problem) -> Identity {
        try require(anyOf: Set(roles))
    }

    /// The caller if it holds at least one of `roles`, else a 403 problem.
    @discardableResult
    public func require(anyOf roles: Set<Role>) throws(Problem) -> Identity {
        let identity = try requireIdentity()
        guard !identity.roles.isDisjoint(with: roles) else {
            let names = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw Problem.forbidden("This operation requires one of the roles: \(names).")
        }
        return identity
    }
}
