/// The largest request body each route accepts, by route template as the router names it
/// (`/v1/courses/{courseId}/enrollments:bulk`); every other route accepts
/// ``AppRequestContext/defaultMaxUploadSize``. ``BodyLimitMiddleware`` applies them before
/// anything buffers the body.
public struct BodyLimits: Sendable, Hashable {
    public var standard: Int
    public var routes: [String: Int]

    public init(standard: Int = AppRequestContext.defaultMaxUploadSize, routes: [String: Int] = [:]) {
        self.standard = standard
        self.routes = routes
    }

    /// The limit of the matched route (`nil` when no route matched).
    public func limit(forRoute route: String?) -> Int {
        route.flatMap { routes[$0] } ?? standard
    }
}
