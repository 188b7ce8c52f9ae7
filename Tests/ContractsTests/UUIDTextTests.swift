import Contracts
import Foundation
import Testing

@Suite("UUIDs as text")
struct UUIDTextTests {
    @Test func formatsAndParsesAsFoundationDoes() throws {
        let known = try #require(UUID(uuidString: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"))
        #expect(known.lowercasedString == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.lowercasedString == id.uuidString.lowercased())
            #expect(UUID(text: id.lowercasedString) == id)
            #expect(UUID(text: id.uuidString) == id, "either case")
        }
    }

    @Test func refusesWhatIsNoUUID() {
        let id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        for text in [
            "", String(id.dropLast()), id + "0", id.replacingOccurrences(of: "-", with: ""), "0f1e2d3c-4b5a-6978-8796_a5b4c3d2e1f0",
            "0g1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "0f1e2d3c4-b5a-6978-8796-a5b4c3d2e1f0",
        ] {
            #expect(UUID(text: text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "Foundation agrees on \(text)")
        }
    }

    /// Sorting by value is sorting by text: batches lock rows in the order PostgreSQL sorts `uuid`s.
    @Test func theOrderOfValuesIsTheOrderOfTheirText() {
        let ids = (0..<2_000).map { _ in UUID() }
        #expect(ids.sorted() == ids.sorted { $0.uuidString < $1.uuidString })
        let keys = ids.map { EnrollmentKey(tenantId: "acme", enrollmentId: $0) }
        #expect(keys.sorted().map(\.enrollmentId) == ids.sorted())
    }
}
