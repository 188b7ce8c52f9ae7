import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Reads a response body into one buffer (idempotent responses are stored and replayed whole).
enum ResponseBodyCollector {
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = Sink()
        try await body.write(Writer(sink: sink))
        return sink.buffer.withLock { $0 }
    }

    private final class Sink: Sendable {
        let buffer = Mutex(ByteBuffer())
    }

    private struct Writer: ResponseBodyWriter {
        let sink: Sink

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            _ = sink.buffer.withLock { $0.writeBuffer(&buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
