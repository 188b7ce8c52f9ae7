import Contracts
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, at most `limit` bytes (else a 413 problem) and at most `maximumRows` rows as
    /// `counter` counts them while the body arrives: past that, a 422 problem naming the limit
    /// comes at once, before the rest of the body is read or anything is parsed.
    public mutating func collectedBody(limit: Int, maximumRows: Int, counting counter: some BodyRowCounter) async throws -> ByteBuffer {
        var counter = counter
        var collected = ByteBuffer()
        for try await chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw Problem.payloadTooLarge(limit: limit) }
            counter.feed(chunk.readableBytesView)
            if counter.rows > maximumRows {
                throw Problem.validation(
                    [FieldError(field: "body", message: "has more than \(maximumRows) rows; at most \(maximumRows) are accepted")],
                    detail: "Too many rows."
                )
            }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        body = RequestBody(buffer: collected)
        return collected
    }
}
