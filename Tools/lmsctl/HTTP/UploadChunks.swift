import NIOCore

/// A request body as an async sequence of 64 KiB buffers that tells a ``ProgressReporter`` about
/// each chunk when the connection asks for it (AsyncHTTPClient pulls with backpressure, so this
/// follows what was actually handed to the socket, give or take one chunk).
struct UploadChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let bytes: [UInt8]
    let progress: ProgressReporter?
    var chunkSize = 64 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let progress: ProgressReporter?
        let chunkSize: Int
        var offset = 0

        mutating func next() async -> ByteBuffer? {
            guard offset < bytes.count else {
                if offset == bytes.count {
                    offset += 1
                    progress?.uploaded()
                }
                return nil
            }
            let end = Swift.min(bytes.count, offset + chunkSize)
            let chunk = bytes[offset..<end]
            offset = end
            progress?.sent(chunk, count: chunk.count)
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(bytes: bytes, progress: progress, chunkSize: chunkSize)
    }
}
