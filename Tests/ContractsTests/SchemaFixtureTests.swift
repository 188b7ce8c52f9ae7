import Contracts
import Foundation
import Testing

/// Hand-written input payloads in `Fixtures/payloads/<schemaName>/`: valid ones pass both the schema and the
/// Swift decoder; invalid ones produce a violation at the expected JSON Pointer and, where the Swift side can
/// tell, a decoding error naming the same field.
@Suite("Hand-written fixtures against schemas and decoders")
struct SchemaFixtureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let type: EventType
        /// JSON Pointer the schema validator must report; `nil` for valid fixtures.
        let violation: String?
        /// Dotted field `decodePayload` must report; `nil` when the Swift payload type accepts the input
        /// (unknown members are only caught by the schema's `additionalProperties: false`).
        let decodingField: String?

        var testDescription: String { file }

        /// `decodePayload` through an event of `type` with the payload's own tenant, so only the payload is judged.
        func decode(_ bytes: [UInt8]) throws(PayloadDecodingError) {
            let tenant = (try? JSONValue(parsing: bytes))?["tenantId"]?.stringValue ?? "acme"
            let event = CloudEvent(source: "/test", type: type, subject: "s", tenantId: tenant, data: bytes)
            switch type {
            case .userCreated: _ = try event.decodePayload(PlatformUserCreated.self)
            case .userUpdated: _ = try event.decodePayload(PlatformUserUpdated.self)
            case .learningActivity: _ = try event.decodePayload(LearningActivity.self)
            default: _ = try event.decodePayload(PlatformUserLifecycle.self)
            }
        }
    }

    static let valid: [Case] = [
        Case(file: "platform.user.created/valid-full.json", type: .userCreated, violation: nil, decodingField: nil),
        Case(file: "platform.user.created/valid-minimal.json", type: .userCreated, violation: nil, decodingField: nil),
        Case(file: "platform.user.updated/valid-patch.json", type: .userUpdated, violation: nil, decodingField: nil),
        Case(file: "platform.user.lifecycle/valid.json", type: .userErased, violation: nil, decodingField: nil),
        Case(file: "platform.learning.activity/valid.json", type: .learningActivity, violation: nil, decodingField: nil),
        Case(file: "platform.learning.activity/valid-offset-time.json", type: .learningActivity, violation: nil, decodingField: nil),
    ]

    static let invalid: [Case] = [
        Case(file: "platform.user.created/invalid-email.json", type: .userCreated, violation: "/email", decodingField: "email"),
        Case(file: "platform.user.created/missing-family-name.json", type: .userCreated, violation: "/familyName", decodingField: "familyName"),
        Case(file: "platform.user.created/bad-tenant.json", type: .userCreated, violation: "/tenantId", decodingField: "tenantId"),
        Case(
            file: "platform.user.created/attribute-object.json", type: .userCreated, violation: "/attributes/costCenter",
            decodingField: "attributes.costCenter"),
        Case(
            file: "platform.user.created/attribute-null.json", type: .userCreated, violation: "/attributes/costCenter",
            decodingField: "attributes.costCenter"),
        Case(file: "platform.user.created/impossible-hire-date.json", type: .userCreated, violation: "/hireDate", decodingField: "hireDate"),
        Case(file: "platform.user.created/empty-user-id.json", type: .userCreated, violation: "/userId", decodingField: "userId"),
        Case(file: "platform.user.created/unknown-field.json", type: .userCreated, violation: "/jobTitle", decodingField: nil),
        Case(
            file: "platform.user.updated/invalid-email-in-changes.json", type: .userUpdated, violation: "/changes/email",
            decodingField: "changes.email"),
        Case(
            file: "platform.user.updated/clear-required-field.json", type: .userUpdated, violation: "/changes/givenName",
            decodingField: "changes.givenName"),
        Case(file: "platform.user.updated/unknown-change.json", type: .userUpdated, violation: "/changes/salary", decodingField: "changes.salary"),
        Case(file: "platform.user.updated/changes-not-object.json", type: .userUpdated, violation: "/changes", decodingField: "changes"),
        Case(
            file: "platform.user.lifecycle/negative-source-version.json", type: .userDeactivated, violation: "/sourceVersion",
            decodingField: "sourceVersion"),
        Case(file: "platform.learning.activity/progress-too-high.json", type: .learningActivity, violation: "/progress", decodingField: "progress"),
        Case(file: "platform.learning.activity/score-too-high.json", type: .learningActivity, violation: "/score", decodingField: "score"),
        Case(
            file: "platform.learning.activity/bad-statement-id.json", type: .learningActivity, violation: "/statementId", decodingField: "statementId"
        ),
        Case(file: "platform.learning.activity/unknown-verb.json", type: .learningActivity, violation: "/verb", decodingField: "verb"),
        Case(
            file: "platform.learning.activity/missing-occurred-at.json", type: .learningActivity, violation: "/occurredAt",
            decodingField: "occurredAt"),
        Case(
            file: "platform.learning.activity/fractional-duration.json", type: .learningActivity, violation: "/durationSeconds",
            decodingField: "durationSeconds"),
        Case(file: "platform.learning.activity/bad-occurred-at.json", type: .learningActivity, violation: "/occurredAt", decodingField: "occurredAt"),
    ]

    @Test("valid fixtures have no violations and decode", arguments: valid)
    func validFixture(fixture: Case) throws {
        let bytes = try Fixtures.bytes("payloads/\(fixture.file)")
        #expect(try JSONSchemaValidator.bundled(for: fixture.type).validate(bytes) == [])
        try fixture.decode(bytes)
    }

    @Test("invalid fixtures name the offending path", arguments: invalid)
    func invalidFixture(fixture: Case) throws {
        let bytes = try Fixtures.bytes("payloads/\(fixture.file)")
        let violations = try JSONSchemaValidator.bundled(for: fixture.type).validate(bytes)
        #expect(violations.map(\.path) == [fixture.violation].compactMap { $0 }, "\(violations)")

        if let field = fixture.decodingField {
            let error = #expect(throws: PayloadDecodingError.self) { try fixture.decode(bytes) }
            #expect(error?.field == field, "\(String(describing: error))")
        } else {
            try fixture.decode(bytes)
        }
    }

    @Test("fixtures agree through a binary-mode CloudEvent")
    func throughCloudEvent() throws {
        let bytes = try Fixtures.bytes("payloads/platform.learning.activity/progress-too-high.json")
        let event = CloudEvent(source: "/player", type: .learningActivity, subject: "u-1", tenantId: "acme", data: bytes)
        let error = #expect(throws: PayloadDecodingError.self) { try event.decodePayload(LearningActivity.self) }
        #expect(error?.field == "progress")
        #expect(try event.schemaViolations().map(\.path) == ["/progress"])
    }
}

/// Access to `Fixtures/` in the test bundle.
enum Fixtures {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "fixture \(path) not found" }
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        guard let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Missing(path: "Fixtures")
        }
        let url = directory.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(path: path) }
        return [UInt8](try Data(contentsOf: url))
    }
}
