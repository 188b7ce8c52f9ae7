import Contracts
import Crypto

/// An opaque list position: the sort-key values of the last item of a page.
///
/// Encoded as base64url of a JSON array of strings followed by a short checksum, so a cursor that
/// was edited or truncated is refused (`init?(encoded:)` returns nil) rather than misread. The
/// checksum is not a signature: a cursor only ever selects rows the caller may already list.
public struct Cursor: Sendable, Hashable {
    public static let maximumEncodedLength = 2048
    private static let checksumLength = 6

    public var values: [String]

    public init(values: [String]) {
        self.values = values
    }

    /// The text clients send back as `?cursor=`.
    public var encoded: String {
        // Encoding an array of strings cannot fail.
        let json = (try? LMSJSON.encode(values)) ?? Array("[]".utf8)
        return Base64URL.encode(json + Self.checksum(json))
    }

    public init?(encoded: String) {
        guard encoded.utf8.count <= Self.maximumEncodedLength, let bytes = Base64URL.decode(encoded),
            bytes.count > Self.checksumLength
        else { return nil }
        let json = Array(bytes.dropLast(Self.checksumLength))
        guard Array(bytes.suffix(Self.checksumLength)) == Self.checksum(json),
            let values = try? LMSJSON.decode([String].self, from: json)
        else { return nil }
        self.values = values
    }

    private static func checksum(_ json: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: json).prefix(checksumLength))
    }
}
