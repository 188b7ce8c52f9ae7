import Foundation

/// A W3C Trace Context `traceparent` header value: `00-<trace-id>-<parent-id>-<flags>`.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits, not all zero.
    public var traceId: String
    /// 16 lowercase hex digits, not all zero: the span that caused this work.
    public var parentId: String
    /// 2 hex digits; `01` = sampled.
    public var flags: String

    /// Parses a header value; nil unless it follows the W3C format (unknown future versions are
    /// read by their version-00 prefix, as the specification asks).
    public init?(_ header: String) {
        let text = header.trimmingCharacters(in: [" ", "\t"])
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, let version = parts.first, Self.isHex(version, count: 2), version != "ff" else { return nil }
        guard version != "00" || parts.count == 4 else { return nil }
        let traceId = parts[1]
        let parentId = parts[2]
        let flags = parts[3]
        guard Self.isHex(traceId, count: 32), traceId.contains(where: { $0 != "0" }),
            Self.isHex(parentId, count: 16), parentId.contains(where: { $0 != "0" }),
            Self.isHex(flags, count: 2)
        else { return nil }
        self.traceId = String(traceId)
        self.parentId = String(parentId)
        self.flags = String(flags)
    }

    public init(traceId: String, parentId: String, flags: String) {
        self.traceId = traceId
        self.parentId = parentId
        self.flags = flags
    }

    /// A new sampled trace with a random trace id and span id.
    public static func random() -> TraceParent {
        TraceParent(traceId: randomHex(bytes: 16), parentId: randomHex(bytes: 8), flags: "01")
    }

    /// The same trace with a new span as parent: what this service passes on.
    public func childSpan() -> TraceParent {
        TraceParent(traceId: traceId, parentId: Self.randomHex(bytes: 8), flags: flags)
    }

    public var description: String { "00-\(traceId)-\(parentId)-\(flags)" }

    private static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count
            && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        var value: [UInt8] = []
        repeat {
            value = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        } while value.allSatisfy { $0 == 0 }
        return value.hexString
    }
}
