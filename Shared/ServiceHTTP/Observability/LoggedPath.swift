import Hummingbird

/// The request path as logs show it: the matched route template
/// (`/v1/self-enrollments/links/{token}`), never the raw path, whose segments can be link tokens
/// or user ids. An unmatched path keeps only its first two segments (`/v1/self-enrollments/…`).
enum LoggedPath {
    static func of(_ request: Request, context: some RequestContext) -> String {
        if let route = context.endpointPath { return route }
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count > 2 else { return request.uri.path }
        return "/" + segments.prefix(2).joined(separator: "/") + "/…"
    }
}
