import Hummingbird
import NIOCore

extension Request {
    /// The whole body, at most `limit` bytes; a larger one is a 413 problem naming the limit.
    public mutating func collectedBody(limit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: limit)
        }
    }
}
