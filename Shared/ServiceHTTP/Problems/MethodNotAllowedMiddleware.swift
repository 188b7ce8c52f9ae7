import Foundation
import Hummingbird

/// Answers `405 Method Not Allowed` (problem+json, with `Allow`) for a request whose path is one of
/// the service's operations but whose method is not; a path the document does not know stays a 404.
///
/// Which methods a path has comes from the service's OpenAPI document (the one it serves), so the
/// answer and the document never disagree. A path can match several templates
/// (`/v1/rules/r-1:pause` matches `{ruleId}` and `{ruleId}:pause`): the most specific ones (most
/// literal characters) decide, as the router's own choice would. This also applies to requests the
/// router did route: `PUT /v1/rules/r-1:pause` reaches `PUT /v1/rules/{ruleId}` with the id
/// `r-1:pause`, which is not what the client meant.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One path of the document: its segments (`{name}` parameters allowed inside a segment, as in
    /// `{ruleId}:activate`) and the methods it declares.
    struct PathTemplate: Sendable {
        struct Segment: Sendable {
            var prefix: Substring
            /// `nil`: a literal segment (`prefix` is all of it).
            var suffix: Substring?

            func matches(_ segment: Substring) -> Bool {
                guard let suffix else { return segment == prefix }
                return segment.count > prefix.count + suffix.count && segment.hasPrefix(prefix) && segment.hasSuffix(suffix)
            }
        }

        var segments: [Segment]
        var methods: Set<String>
        /// Literal characters: of two templates matching a path, the one with more is meant.
        var specificity: Int { segments.reduce(0) { $0 + $1.prefix.count + ($1.suffix?.count ?? 0) } }

        init(path: String, methods: Set<String>) {
            self.methods = methods
            segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
                guard let open = segment.firstIndex(of: "{"), let close = segment[open...].firstIndex(of: "}") else {
                    return Segment(prefix: segment, suffix: nil)
                }
                return Segment(prefix: segment[..<open], suffix: segment[segment.index(after: close)...])
            }
        }

        func matches(_ path: [Substring]) -> Bool {
            path.count == segments.count && zip(segments, path).allSatisfy { $0.matches($1) }
        }
    }

    let templates: [PathTemplate]

    /// - Parameter openAPIDocument: the service's complete OpenAPI document (JSON).
    public init(openAPIDocument: [UInt8]) {
        let document = (try? JSONSerialization.jsonObject(with: Data(openAPIDocument))) as? [String: Any] ?? [:]
        let paths = document["paths"] as? [String: Any] ?? [:]
        let verbs: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        templates = paths.compactMap { path, item in
            let methods = Set((item as? [String: Any] ?? [:]).keys.filter(verbs.contains).map { $0.uppercased() })
            return methods.isEmpty ? nil : PathTemplate(path: path, methods: methods)
        }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = templates.filter { $0.matches(path) }
        guard let best = matching.map(\.specificity).max() else { return try await next(request, context) }
        let allowed = matching.filter { $0.specificity == best }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        guard !allowed.contains(request.method.rawValue) else { return try await next(request, context) }
        throw Problem.methodNotAllowed(request.method.rawValue, allowed: allowed.sorted())
    }
}
