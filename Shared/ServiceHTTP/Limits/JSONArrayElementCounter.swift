/// Counts the elements of the first JSON array at the top level or one level down (a bare list
/// `[...]` or `{"items": [...]}`), byte by byte: strings and nesting are followed, nothing is
/// decoded.
public struct JSONArrayElementCounter: BodyRowCounter, Sendable, Equatable {
    public private(set) var rows = 0
    private var depth = 0
    /// The depth inside the counted array, once it opened.
    private var arrayDepth: Int?
    private var arrayClosed = false
    private var expectingElement = false
    private var inString = false
    private var escaped = false

    public init() {}

    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        for byte in bytes where !arrayClosed {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                continue
            default:
                break
            }
            if expectingElement, depth == arrayDepth, byte != UInt8(ascii: "]") {
                rows += 1
                expectingElement = false
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["):
                depth += 1
                if arrayDepth == nil, depth <= 2 {
                    arrayDepth = depth
                    expectingElement = true
                }
            case UInt8(ascii: "{"):
                depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if depth == arrayDepth { arrayClosed = true }
                depth -= 1
            case UInt8(ascii: ","):
                if depth == arrayDepth { expectingElement = true }
            default:
                break
            }
        }
    }
}
