import Hummingbird
import Logging

/// The request context of every service: Hummingbird's core storage plus the caller's identity,
/// the request id and the trace context. Bodies decode and encode with the LMS JSON coders.
public struct AppRequestContext: PlatformRequestContext, Sendable {
    /// Largest body the request decoder accepts. Bulk endpoints collect their bodies themselves
    /// with `request.collectBody(upTo:)` and a larger limit.
    public static let defaultMaxUploadSize = 1 << 20

    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public var requestId: String
    public var traceparent: String?
    public var idempotency: IdempotencyNote?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.requestId = source.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? ""
        self.traceparent = nil
        self.idempotency = nil
    }

    public var maxUploadSize: Int { Self.defaultMaxUploadSize }
    public var requestDecoder: LMSRequestDecoder { LMSRequestDecoder() }
    public var responseEncoder: LMSResponseEncoder { LMSResponseEncoder() }
}
