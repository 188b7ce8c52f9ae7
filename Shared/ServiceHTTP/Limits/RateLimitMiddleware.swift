import Hummingbird

/// Per-tenant and per-caller (token subject) limits on writes under `/v1` (POST, PUT, PATCH,
/// DELETE): over either, the answer is a 429 problem with `Retry-After` in whole seconds. The
/// buckets live in the process (``RateLimiter``), so each replica counts on its own. Install it
/// after ``JWTAuthenticator`` and before ``IdempotencyMiddleware``.
public struct RateLimitMiddleware<Context: PlatformRequestContext>: RouterMiddleware {
    public let tenant: RateLimiter
    public let subject: RateLimiter

    public init(tenant: RateLimiter, subject: RateLimiter) {
        self.tenant = tenant
        self.subject = subject
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard IdempotencyMiddleware<Context>.isWrite(request.method), request.uri.path.hasPrefix("/v1/"), let identity = context.identity else {
            return try await next(request, context)
        }
        if let wait = subject.acquire("\(identity.tenantId)\n\(identity.userId)") {
            throw Self.refusal(wait, by: "by this caller")
        }
        if let wait = tenant.acquire(identity.tenantId) {
            throw Self.refusal(wait, by: "in this tenant")
        }
        return try await next(request, context)
    }

    /// A 429 whose `Retry-After` rounds `wait` up to whole seconds (at least 1).
    static func refusal(_ wait: Duration, by who: String) -> Problem {
        let seconds = max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
        var problem = Problem.tooManyRequests(retryAfter: seconds)
        problem.detail = "Too many writes \(who); retry after \(seconds) seconds."
        return problem
    }
}
