import Hummingbird
import Logging

/// Turns every error thrown further down the chain into an `application/problem+json` response.
///
/// Unexpected errors (status 500 and above) are logged at error level with `String(reflecting:)`
/// (the request id is in the logger's metadata); the response only ever carries the generic text.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(mapping: error)
            if problem.status.code >= 500 {
                context.logger.error(
                    "Request failed",
                    metadata: [
                        "http.method": "\(request.method)", "http.path": "\(LoggedPath.of(request, context: context))",
                        "http.status": "\(problem.status.code)", "error": "\(String(reflecting: Problem.unwrap(error)))",
                    ]
                )
            } else {
                context.logger.debug("Request refused", metadata: ["http.status": "\(problem.status.code)", "problem": "\(problem)"])
            }
            return try problem.response(from: request, context: context)
        }
    }
}
