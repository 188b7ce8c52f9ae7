import Contracts
import Foundation
import Testing

/// `lms.resync.page` carries snapshots of another type: each item must keep its own type's rules and
/// the page's tenant, and a page holds at most ``ResyncPage/maximumItems`` of them.
@Suite("Resync pages: items keep their own contract, at most 200 per page")
struct ResyncPageContractTests {
    static let resyncId = UUID(uuid: (0x5B, 0x1F, 0x0C, 0x2E, 0x8D, 0x4A, 0x4F, 0x6B, 0x9C, 0x3E, 0x7A, 0x2D, 0x1E, 0x0F, 0x4B, 0x68))

    static func user(_ userId: String, tenantId: String = "acme", email: String? = nil) -> UserSnapshot {
        UserSnapshot(
            tenantId: tenantId,
            userId: userId,
            email: email ?? "\(userId)@acme.example",
            status: .active,
            changedFields: [],
            version: 1,
            updatedAt: Samples.instant
        )
    }

    static func page(_ users: [UserSnapshot], tenantId: String = "acme") -> ResyncPage {
        ResyncPage(tenantId: tenantId, resyncId: resyncId, page: 0, items: .users(users))
    }

    /// The page as a consumer receives it: binary-mode headers and the encoded value, decoded again.
    static func received(_ page: ResyncPage) throws -> CloudEvent {
        let event = CloudEvent(
            source: "/lms/user-service",
            type: .resyncPage,
            subject: page.aggregateId,
            tenantId: page.tenantId,
            data: try LMSJSON.encode(page)
        )
        return try CloudEvent.decode(headers: event.binaryModeHeaderBytes, value: event.data)
    }

    struct BadItem: Sendable, CustomTestStringConvertible {
        let name: String
        let items: [UserSnapshot]
        let field: String
        var testDescription: String { name }
    }

    static let badItems: [BadItem] = [
        BadItem(name: "an item of another tenant", items: [user("u-1"), user("u-2", tenantId: "globex")], field: "items[1].tenantId"),
        BadItem(name: "an empty userId", items: [user("")], field: "items[0].userId"),
        BadItem(name: "a userId over 128 characters", items: [user("u-1"), user(String(repeating: "u", count: 129))], field: "items[1].userId"),
        BadItem(name: "an invalid email", items: [user("u-1", email: "not an email")], field: "items[0].email"),
    ]

    @Test("a page whose item breaks its own type's rules fails validation, naming the item", arguments: badItems)
    func badItem(testCase: BadItem) throws {
        let page = Self.page(testCase.items)
        let error = #expect(throws: PayloadValidationError.self) { try page.validate() }
        #expect(error?.field == testCase.field, "\(String(describing: error))")
        // A producer cannot make such an event ...
        #expect(throws: PayloadValidationError.self) {
            _ = try CloudEvent.make(page, type: .resyncPage, source: "/lms/user-service", time: Samples.instant)
        }
        // ... and a consumer refuses one it receives as a whole (its consumers send it to the DLQ).
        let received = try Self.received(page)
        let decodingError = #expect(throws: PayloadDecodingError.self) { try received.decodePayload(ResyncPage.self) }
        #expect(decodingError?.field == testCase.field, "\(String(describing: decodingError))")
    }

    @Test("the items of every sample page follow their own type's schema")
    func itemSchemas() throws {
        let itemTypes: [ResyncSource: EventType] = [
            .users: .lmsUserUpserted, .courses: .courseUpserted, .enrollments: .enrollmentCreated, .progress: .progressUpdated,
        ]
        let pages = Samples.all.compactMap { $0.payload as? ResyncPage }
        #expect(Set(pages.map(\.source)) == Set(ResyncSource.allCases))
        for page in pages {
            let schema = try JSONSchemaValidator.bundled(for: try #require(itemTypes[page.source]))
            let json = try JSONValue(parsing: try LMSJSON.encode(page))
            guard case .array(let items)? = json.objectValue?["items"] else {
                Issue.record("\(page.source) page has no items array")
                continue
            }
            for item in items {
                #expect(schema.validate(item).isEmpty, "\(page.source): \(schema.validate(item))")
            }
        }
    }

    @Test("a page with items of another source's type does not decode")
    func itemsOfAnotherSource() throws {
        let page = try #require(Samples.all.first { $0.name == "resync page enrollments" }?.payload as? ResyncPage)
        var json = try #require(try JSONValue(parsing: try LMSJSON.encode(page)).objectValue)
        json["source"] = .string("users")
        let event = CloudEvent(
            source: "/lms/enrollment-service",
            type: .resyncPage,
            subject: page.aggregateId,
            tenantId: "acme",
            data: try LMSJSON.encode(JSONValue.object(json))
        )
        #expect(throws: PayloadDecodingError.self) { try event.decodePayload(ResyncPage.self) }
    }

    @Test("the schema takes 1 to 200 items and refuses 201 or none")
    func itemLimit() throws {
        #expect(ResyncPage.maximumItems == 200)
        let schema = try JSONSchemaValidator.bundled(for: .resyncPage)
        let full = Self.page((0..<ResyncPage.maximumItems).map { Self.user("u-\($0)") })
        try full.validate()
        #expect(schema.validate(try LMSJSON.encode(full)).isEmpty)

        let over = Self.page((0...ResyncPage.maximumItems).map { Self.user("u-\($0)") })
        let violations = schema.validate(try LMSJSON.encode(over))
        #expect(violations.map(\.path) == ["/items"], "\(violations)")
        let received = try Self.received(over)
        #expect(try received.schemaViolations().map(\.path) == ["/items"])

        let empty = Self.page([])
        #expect(schema.validate(try LMSJSON.encode(empty)).map(\.path) == ["/items"])
    }

    @Test("the schema refuses an unknown source, a negative page and a page without resyncId")
    func envelopeFields() throws {
        let schema = try JSONSchemaValidator.bundled(for: .resyncPage)
        let page = Self.page([Self.user("u-1")])
        var json = try #require(try JSONValue(parsing: try LMSJSON.encode(page)).objectValue)
        for (key, value) in [("source", JSONValue.string("grades")), ("page", .number(-1))] {
            var broken = json
            broken[key] = value
            #expect(schema.validate(.object(broken)).map(\.path) == ["/\(key)"], "\(key)")
        }
        json.removeValue(forKey: "resyncId")
        #expect(!schema.validate(.object(json)).isEmpty)
    }
}
