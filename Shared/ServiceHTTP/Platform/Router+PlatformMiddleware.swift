import Hummingbird

extension Router where Context: PlatformRequestContext {
    /// Adds the platform's middleware in the order they must run: request logging and metrics
    /// (outermost, sees every final status), the route's body limit (``BodyLimitMiddleware``),
    /// problem+json rendering, 405 for a known path with an undeclared method (when the service's
    /// OpenAPI document is given), bearer authentication for `/v1`, write rate limits when given,
    /// then `Idempotency-Key` handling when a store is given.
    ///
    /// Middleware applies to routes added after this call, so call it before registering routes
    /// (``PlatformRoutes`` included).
    @discardableResult
    public func addPlatformMiddleware(
        verification: JWTVerification,
        idempotency: IdempotencyStore?,
        openAPIDocument: [UInt8]? = nil,
        bodyLimits: BodyLimits = BodyLimits(),
        rateLimits: (tenant: RateLimiter, subject: RateLimiter)? = nil
    ) -> Self {
        add(middleware: RequestLoggingMiddleware<Context>())
        add(middleware: BodyLimitMiddleware<Context>(limits: bodyLimits))
        add(middleware: ProblemMiddleware<Context>())
        if let openAPIDocument {
            add(middleware: MethodNotAllowedMiddleware<Context>(openAPIDocument: openAPIDocument))
        }
        add(middleware: JWTAuthenticator<Context>(verification: verification))
        if let rateLimits {
            add(middleware: RateLimitMiddleware<Context>(tenant: rateLimits.tenant, subject: rateLimits.subject))
        }
        if let idempotency {
            add(middleware: IdempotencyMiddleware<Context>(store: idempotency))
        }
        return self
    }
}
