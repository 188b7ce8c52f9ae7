import Hummingbird
import ServiceHTTP

/// Bodies that may be empty (actions with an optional reason).
enum RequestBody {
    /// The decoded body, or `empty` when the request has none.
    static func decodeOptional<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, empty: T) async throws -> T {
        var request = request
        let buffer = try await request.collectedBody(limit: context.maxUploadSize)
        guard buffer.readableBytesView.contains(where: { !$0.isASCIIWhitespace }) else { return empty }
        return try LMSRequestDecoder.decode(type, from: buffer)
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
