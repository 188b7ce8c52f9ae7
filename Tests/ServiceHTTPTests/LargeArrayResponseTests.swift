import Contracts
import NIOCore
import ServiceHTTP
import Testing

@Suite("Large array response")
struct LargeArrayResponseTests {
    private struct Head: Encodable, Sendable {
        var importId: String
        var summary: [String: Int]
    }

    private struct Row: Encodable, Sendable {
        var row: Int
        var userId: String
        var reason: String?
    }

    private struct Whole: Encodable {
        var importId: String
        var summary: [String: Int]
        var items: [Row]
    }

    /// Across several slices (and at a slice boundary) the document is the one the shared encoder
    /// writes for the whole value.
    @Test(arguments: [0, 1, 1_000, 2_501])
    func encodesTheSameDocumentAsTheWholeValue(count: Int) throws {
        let rows = (0..<count).map { Row(row: $0 + 1, userId: "u-\($0)", reason: $0 % 3 == 0 ? "a \"quoted\" reason" : nil) }
        let head = Head(importId: "i-1", summary: ["total": count])
        let sliced = try LargeArrayResponse(head: head, key: "items", elements: rows).encoded()
        let whole = try LMSJSON.encode(Whole(importId: head.importId, summary: head.summary, items: rows))
        #expect(try JSONValue(parsing: Array(sliced.readableBytesView)) == JSONValue(parsing: whole))
    }

    private struct Empty: Encodable, Sendable {}

    @Test func aHeadWithoutMembers() throws {
        let sliced = try LargeArrayResponse(head: Empty(), key: "results", elements: [1, 2, 3]).encoded()
        #expect(String(buffer: sliced) == #"{"results":[1,2,3]}"#)
    }
}
