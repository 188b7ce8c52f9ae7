import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics

/// Assigns the request id and trace context, logs one line per request and records
/// `http_requests_total{method,route,status}` and `http_request_duration_seconds{method,route,status}`.
///
/// `X-Request-Id` is taken from the request when it is a plausible id (1-128 characters of
/// `[A-Za-z0-9._:-]`), generated otherwise, and echoed on the response. A valid `traceparent`
/// continues the caller's trace; otherwise a new trace starts. Metric labels use the route
/// template (`/v1/users/{userId}`), never raw ids; so does the logged `http.path` (``LoggedPath``:
/// link tokens and user ids never reach the log). Install it outermost, with
/// ``ProblemMiddleware`` inside it, so it sees the final status of every request.
public struct RequestLoggingMiddleware<Context: PlatformRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let requestId =
            request.headers[.requestId].flatMap(Self.acceptedRequestId)
            ?? (context.requestId.isEmpty ? UUID().uuidString.lowercased() : context.requestId)
        context.requestId = requestId
        context.logger[metadataKey: "hb.request.id"] = "\(requestId)"
        let trace = request.headers[.traceparent].flatMap(TraceParent.init)?.childSpan() ?? .random()
        context.traceparent = trace.description
        context.logger[metadataKey: "trace.id"] = "\(trace.traceId)"

        do {
            var response = try await next(request, context)
            response.headers[.requestId] = requestId
            record(request, context: context, status: response.status, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        let route = context.endpointPath ?? "NotFound"
        let dimensions = [("method", request.method.rawValue), ("route", route), ("status", String(status.code))]
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Timer(label: "http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
            .recordNanoseconds(nanoseconds)

        let level: Logger.Level = Self.isOperationalPath(request.uri.path) && status.code < 400 ? .debug : .info
        context.logger.log(
            level: level,
            "Request finished",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(LoggedPath.of(request, context: context))", "http.route": "\(route)",
                "http.status": "\(status.code)", "duration.ms": "\(Double(nanoseconds) / 1_000_000)",
            ]
        )
    }

    /// Health probes and scrapes would drown the log at info level.
    private static func isOperationalPath(_ path: String) -> Bool {
        path.hasPrefix("/health/") || path == "/metrics"
    }

    static func acceptedRequestId(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count) else { return nil }
        let acceptable = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
        return acceptable ? value : nil
    }
}
