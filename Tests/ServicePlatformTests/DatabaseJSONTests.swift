import Contracts
import Foundation
import ServicePlatform
import Testing

@Suite("Database JSON")
struct DatabaseJSONTests {
    struct Row: Codable, Equatable {
        var id: String
        var count: Int?
        var at: Date
    }

    @Test func valuesAndRowsRoundTrip() throws {
        let at = Date(timeIntervalSince1970: 1_765_000_000.123)
        #expect(try DatabaseJSON.text(["b": 2, "a": 1]) == #"{"a":1,"b":2}"#)
        #expect(try DatabaseJSON.text(Optional<Int>.none) == "null")
        let rows = [Row(id: "r1", count: nil, at: at), Row(id: "r2", count: 3, at: at)]
        let text = try DatabaseJSON.encode(rows)
        #expect(try DatabaseJSON.decode([Row].self, from: text) == rows)
        #expect(throws: DatabaseRowError.self) { try DatabaseJSON.decode(Row.self, from: #"{"id":1}"#) }
    }
}
