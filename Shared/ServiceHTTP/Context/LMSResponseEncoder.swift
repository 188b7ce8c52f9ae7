import Contracts
import Hummingbird
import NIOCore

/// Encodes handler results with the shared LMS encoder as `application/json; charset=utf-8`.
public struct LMSResponseEncoder: ResponseEncoder, Sendable {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(json: ByteBuffer(bytes: try LMSJSON.encode(value)))
    }

    /// A 200 answer with an already encoded JSON document.
    static func response(json body: ByteBuffer) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes)],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
