import Contracts
import Hummingbird
import NIOCore

/// Decodes JSON request bodies with the shared LMS decoder. A body that does not decode is a 400
/// problem naming the offending field; one over the context's `maxUploadSize` is a 413 problem.
public struct LMSRequestDecoder: RequestDecoder, Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: context.maxUploadSize)
        }
        return try Self.decode(type, from: buffer)
    }

    /// Decodes `type` from a collected body (for handlers that collect bodies themselves).
    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(Problem) -> T {
        do {
            return try LMSJSON.decode(type, from: Array(buffer.readableBytesView))
        } catch {
            let field = error.field.isEmpty ? "body" : error.field
            let detail = error.field.isEmpty ? "The request body is not valid JSON." : "The request body has an invalid value at \(error.field)."
            throw Problem.badRequest(detail, errors: [FieldError(field: field, message: error.message)])
        }
    }
}
