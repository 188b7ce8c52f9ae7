import HTTPTypes
import Hummingbird
import NIOCore
import ServiceHTTP
import TestSupport
import Testing

/// Imports count rows while the body arrives and stop at the limit, without waiting for (or
/// buffering) the rest of the upload (L3).
@Suite("Row limits while the body arrives", .hangGuard)
struct CountedBodyTests {
    /// A request whose body yields `chunks` and then stays open, as a slow or endless upload does.
    private func openRequest(_ chunks: [String]) -> (Request, AsyncStream<ByteBuffer>.Continuation) {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/users:import")
        return (Request(head: head, body: RequestBody(asyncSequence: stream)), continuation)
    }

    @Test("A CSV upload over the row limit is refused before it ends")
    func csvStopsEarly() async throws {
        let rows = (1...11).map { "u-\($0),\"quoted, \n line\"\r\n" }
        var (request, continuation) = openRequest(["userId,note\r\n"] + rows)
        defer { continuation.finish() }
        await #expect(throws: Problem.self) {
            _ = try await request.collectedBody(limit: 1 << 20, maximumRows: 10, counting: CSVRecordCounter())
        }
    }

    @Test("A JSON list over the row limit is refused before it ends; nested arrays and strings do not count")
    func jsonStopsEarly() async throws {
        let items = (1...11).map { #"{"userId":"u-\#($0)","tags":["a","b"],"note":"[{,}]"}"# }
        var (request, continuation) = openRequest([#"{"items": ["#, items.joined(separator: ",")])
        defer { continuation.finish() }
        do {
            _ = try await request.collectedBody(limit: 1 << 20, maximumRows: 10, counting: JSONArrayElementCounter())
            Issue.record("no refusal")
        } catch let problem as Problem {
            #expect(problem.status == .unprocessableContent)
        }
    }

    @Test("Counting matches the rows of complete documents")
    func counts() {
        var json = JSONArrayElementCounter()
        json.feed(Array(#"[{"userId":"a","x":[1,2,{"y":"]"}]}, {"userId":"b"} ,{"userId":"c\"]"}]"#.utf8))
        #expect(json.rows == 3)
        var empty = JSONArrayElementCounter()
        empty.feed(Array(#"{"items": [ ]}"#.utf8))
        #expect(empty.rows == 0)
        var csv = CSVRecordCounter()
        csv.feed(Array("userId\r\na\r\nb\r\n".utf8))
        #expect(csv.rows == 2)
    }

    @Test("Within the limits the whole body is returned")
    func withinLimits() async throws {
        var (request, continuation) = openRequest(["userId\n", "a\n", "b\n"])
        continuation.finish()
        let body = try await request.collectedBody(limit: 1024, maximumRows: 2, counting: CSVRecordCounter())
        #expect(String(buffer: body) == "userId\na\nb\n")
    }
}
