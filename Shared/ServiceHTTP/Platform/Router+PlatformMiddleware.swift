import Hummingbird

extension Router where Context: PlatformRequestContext {
    /// Adds the platform's middleware in the order they must run: request logging and metrics
    /// (outermost, sees every final status), problem+json rendering, 405 for a known path with an
    /// undeclared method (when the service's OpenAPI document is given), bearer authentication for
    /// `/v1`, then `Idempotency-Key` handling when a store is given.
    ///
    /// Middleware applies to routes added after this call, so call it before registering routes
    /// (``PlatformRoutes`` included).
    @discardableResult
    public func addPlatformMiddleware(
        verification: JWTVerification, idempotency: IdempotencyStore?, openAPIDocument: [UInt8]? = nil
    ) -> Self {
        add(middleware: RequestLoggingMiddleware<Context>())
        add(middleware: ProblemMiddleware<Context>())
        if let openAPIDocument {
            add(middleware: MethodNotAllowedMiddleware<Context>(openAPIDocument: openAPIDocument))
        }
        add(middleware: JWTAuthenticator<Context>(verification: verification))
        if let idempotency {
            add(middleware: IdempotencyMiddleware<Context>(store: idempotency))
        }
        return self
    }
}
