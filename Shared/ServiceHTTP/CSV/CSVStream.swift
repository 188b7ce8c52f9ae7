import Hummingbird

/// Writes CSV records to a response body, in chunks of about 64 KiB.
public struct CSVStream {
    var writer: any ResponseBodyWriter
    private var buffer = ByteBuffer()
    private static let chunkSize = 64 * 1024

    init(writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    /// Appends one record; sends the buffered records once a chunk is full.
    public mutating func write(_ fields: [String]) async throws {
        buffer.writeString(CSVFormat.record(fields))
        if buffer.readableBytes >= Self.chunkSize { try await flush() }
    }

    /// Sends what is buffered.
    public mutating func flush() async throws {
        guard buffer.readableBytes > 0 else { return }
        try await writer.write(buffer)
        buffer.clear()
    }
}
