import Hummingbird
import NIOCore

/// A request body read through the platform: it counts bytes and refuses more than `limit` with
/// a 413 problem, and it keeps the connection's body stream so that after a 413 the rest of the
/// body can still be read and dropped (``drain(upTo:)``).
///
/// `@unchecked Sendable`: like Hummingbird's own request body it has one reader at a time, first
/// the handler collecting the body, then the 413 response draining what is left; the two never
/// overlap because the response is written after the handler returned.
final class LimitedRequestBody: @unchecked Sendable {
    let limit: Int
    private var iterator: RequestBody.AsyncIterator
    private var received = 0
    private var finished = false

    init(_ body: RequestBody, limit: Int) {
        self.limit = limit
        self.iterator = body.makeAsyncIterator()
    }

    /// The body as the handler sees it.
    var requestBody: RequestBody { RequestBody(asyncSequence: Chunks(body: self)) }

    /// Whether the whole body has been read.
    var isFinished: Bool { finished }

    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        guard let chunk = try await iterator.next() else {
            finished = true
            return nil
        }
        received += chunk.readableBytes
        if received > limit { throw Problem.payloadTooLarge(limit: limit) }
        return chunk
    }

    /// Reads and drops the rest of the body; `false` when more than `maximum` bytes remain.
    func drain(upTo maximum: Int) async throws -> Bool {
        var drained = 0
        while !finished {
            guard let chunk = try await iterator.next() else {
                finished = true
                break
            }
            drained += chunk.readableBytes
            if drained > maximum { return false }
        }
        return true
    }

    struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let body: LimitedRequestBody

        struct AsyncIterator: AsyncIteratorProtocol {
            let body: LimitedRequestBody
            mutating func next() async throws -> ByteBuffer? { try await body.next() }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: body) }
    }
}
