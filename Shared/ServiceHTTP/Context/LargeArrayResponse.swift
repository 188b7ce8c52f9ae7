import Contracts
import Hummingbird
import NIOCore

/// A JSON object with one large array member (an import's per-row results), written like
/// ``LMSResponseEncoder`` but with the array encoded a slice at a time: Foundation's `JSONEncoder`
/// builds a tree of the whole value before writing it, about 2 KB per row, which for a 100,000-row
/// import was most of a service's peak memory.
public struct LargeArrayResponse<Head: Encodable & Sendable, Element: Encodable & Sendable>: ResponseGenerator, Sendable {
    /// Elements encoded per `JSONEncoder` call.
    static var elementsPerEncoding: Int { 1_000 }

    /// The object's other members (it must encode as a JSON object); the array comes last.
    public var head: Head
    public var key: String
    public var elements: [Element]

    public init(head: Head, key: String, elements: [Element]) {
        self.head = head
        self.key = key
        self.elements = elements
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        LMSResponseEncoder.response(json: try encoded())
    }

    /// The JSON document.
    public func encoded() throws -> ByteBuffer {
        let object = try LMSJSON.encode(head)
        var body = ByteBuffer()
        body.reserveCapacity(object.count + 64 + elements.count * 128)
        body.writeBytes(object.dropLast())  // without the closing brace
        if object.count > 2 { body.writeString(",") }
        body.writeBytes(try LMSJSON.encode(key))
        body.writeString(":[")
        for start in stride(from: 0, to: elements.count, by: Self.elementsPerEncoding) {
            let slice = try LMSJSON.encode(Array(elements[start..<min(start + Self.elementsPerEncoding, elements.count)]))
            if start > 0 { body.writeString(",") }
            body.writeBytes(slice.dropFirst().dropLast())  // without the slice's own brackets
        }
        body.writeString("]}")
        return body
    }
}
