import Hummingbird

extension Router where Context: PlatformRequestContext {
    /// Adds the platform's middleware in the order they must run: request logging and metrics
    /// (outermost, sees every final status), problem+json rendering, bearer authentication for
    /// `/v1`, then `Idempotency-Key` handling when a store is given.
    ///
    /// Middleware applies to routes added after this call, so call it before registering routes
    /// (``PlatformRoutes`` included).
    @discardableResult
    public func addPlatformMiddleware(verification: JWTVerification, idempotency: IdempotencyStore?) -> Self {
        add(middleware: RequestLoggingMiddleware<Context>())
        add(middleware: ProblemMiddleware<Context>())
        add(middleware: JWTAuthenticator<Context>(verification: verification))
        if let idempotency {
            add(middleware: IdempotencyMiddleware<Context>(store: idempotency))
        }
        return self
    }
}
