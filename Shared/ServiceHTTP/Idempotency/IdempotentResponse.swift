import NIOCore

/// A response kept for replay under an `Idempotency-Key`.
public struct IdempotentResponse: Sendable, Hashable {
    public var status: Int
    public var contentType: String?
    public var body: ByteBuffer

    public init(status: Int, contentType: String?, body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
