import HTTPTypes
import Hummingbird
import NIOCore

/// Enforces the route's body limit (``BodyLimits``) before anything buffers the body: a
/// `Content-Length` over the limit is answered 413 without reading the body, and a body that
/// grows past it (chunked) fails its reader with the same 413 problem.
///
/// Every 413, and every answer given before the body was read to its end (a 422 for too many rows,
/// a 401), is sent with `Connection: close`, and the rest of the request body, up to
/// ``drainLimit`` bytes, is read and dropped before the response ends: a client that sends its
/// whole body before reading (Python's urllib) then gets the answer at once instead of stalling on
/// a full socket. Beyond ``drainLimit`` the connection is closed. Install it
/// outside ``ProblemMiddleware`` so it sees problems as responses.
public struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Most bytes read and dropped after a 413 (twice the largest route limit).
    public static var drainLimit: Int { 128 << 20 }

    public let limits: BodyLimits

    public init(limits: BodyLimits) {
        self.limits = limits
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.mayHaveBody(request) else { return try await next(request, context) }
        let limit = limits.limit(forRoute: context.endpointPath)
        let body = LimitedRequestBody(request.body, limit: limit)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return Self.closing(try Problem.payloadTooLarge(limit: limit).response(from: request, context: context), draining: body)
        }
        var request = request
        request.body = body.requestBody
        let response = try await next(request, context)
        guard response.status == .contentTooLarge || !body.isFinished else { return response }
        return Self.closing(response, draining: body)
    }

    /// Whether the request may carry a body (a chunked one has no `Content-Length`).
    static func mayHaveBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length != "0" }
        return request.method != .get && request.method != .head
    }

    /// `response` with `Connection: close` whose end waits until the request body is drained.
    static func closing(_ response: Response, draining body: LimitedRequestBody) -> Response {
        var response = response
        response.headers[.connection] = "close"
        let original = response.body
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let original = original
            try await original.write(DrainingWriter(base: writer, body: body))
        }
        return response
    }

    /// Passes the response through; before its end, drains the request body.
    private struct DrainingWriter: ResponseBodyWriter {
        var base: any ResponseBodyWriter
        let body: LimitedRequestBody

        mutating func write(_ buffer: ByteBuffer) async throws {
            try await base.write(buffer)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            let drained = try await body.drain(upTo: BodyLimitMiddleware.drainLimit)
            try await base.finish(trailingHeaders)
            // Throwing closes the connection instead of reading a body that does not end.
            guard drained else { throw Problem.payloadTooLarge(limit: body.limit) }
        }
    }
}
