import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceHTTP
import Testing

@Suite("Cursor pagination")
struct PaginationTests {
    struct PageBody: Decodable {
        var items: [TestApp.Item]
        var nextCursor: String?
    }

    @Test("Cursor encodes and decodes its values")
    func cursorRoundTrip() throws {
        let cursor = Cursor(values: ["2024-05-01T10:00:00.000Z", "ünïcødé / \"quoted\"", ""])
        let decoded = try #require(Cursor(encoded: cursor.encoded))
        #expect(decoded == cursor)
        #expect(!cursor.encoded.contains("="))
        #expect(!cursor.encoded.contains("+") && !cursor.encoded.contains("/"))
    }

    @Test("Tampered, truncated and foreign cursors are refused")
    func tamperedCursor() {
        let encoded = Cursor(values: ["item-03"]).encoded
        var characters = Array(encoded)
        let middle = characters.count / 2
        characters[middle] = characters[middle] == "A" ? "B" : "A"
        #expect(Cursor(encoded: String(characters)) == nil)
        #expect(Cursor(encoded: String(encoded.dropLast(2))) == nil)
        #expect(Cursor(encoded: "WyJpdGVtLTAzIl0") == nil)  // base64url of ["item-03"] without checksum
        #expect(Cursor(encoded: "not a cursor!") == nil)
        #expect(Cursor(encoded: "") == nil)
    }

    @Test("Pages follow nextCursor to the end")
    func walkPages() async throws {
        let app = try TestApp()
        try await Application(router: app.router()).test(.router) { client in
            var ids: [String] = []
            var uri = "/v1/items?limit=3"
            var pages = 0
            while true {
                let response = try await client.send(uri, token: adminToken())
                #expect(response.status == .ok)
                let page = try response.json(PageBody.self)
                ids += page.items.map(\.id)
                pages += 1
                guard let next = page.nextCursor else { break }
                uri = "/v1/items?limit=3&cursor=\(next)"
            }
            #expect(pages == 3)
            #expect(ids == (1...7).map { String(format: "item-%02d", $0) })

            let all = try await client.send("/v1/items", token: adminToken())
            #expect(all.text.hasSuffix(#""nextCursor":null}"#))
        }
    }

    @Test(
        "Bad limit or cursor is a 400 naming the parameter",
        arguments: [
            ("limit=0", "limit"), ("limit=1001", "limit"), ("limit=ten", "limit"), ("cursor=garbage", "cursor"),
            ("limit=2&limit=3", "limit"),
        ]
    )
    func badParameters(query: String, field: String) async throws {
        let app = try TestApp()
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/items?\(query)", token: adminToken())
            #expect(response.status == .badRequest)
            #expect(try response.problem().errors?.map(\.field) == [field])
        }
    }

    @Test("A tampered cursor from a real page is a 400")
    func tamperedPageCursor() async throws {
        let app = try TestApp()
        try await Application(router: app.router()).test(.router) { client in
            let page = try await client.send("/v1/items?limit=2", token: adminToken()).json(PageBody.self)
            let cursor = try #require(page.nextCursor)
            let forged = Base64URLForTests.reencode(cursor)
            let response = try await client.send("/v1/items?limit=2&cursor=\(forged)", token: adminToken())
            #expect(response.status == .badRequest)
            #expect(try response.problem().errors?.first?.field == "cursor")
        }
    }
}

/// Changes the cursor's JSON while keeping it well-formed base64url: only the checksum can tell.
enum Base64URLForTests {
    static func reencode(_ cursor: String) -> String {
        var standard = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        guard let data = Data(base64Encoded: standard) else { return cursor }
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "item-02", with: "item-05")
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
