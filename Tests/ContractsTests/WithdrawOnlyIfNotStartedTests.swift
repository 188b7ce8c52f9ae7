import Contracts
import Foundation
import Testing

/// `onlyIfNotStarted` on withdraw-requested: the unmatch policy `withdrawIfNotStarted` as a field of the
/// command (it used to be a prefix of `reason`).
@Suite("EnrollmentChangeCommand.onlyIfNotStarted")
struct WithdrawOnlyIfNotStartedTests {
    static let ruleId = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

    /// A withdraw-requested payload with `extra` members appended (`"onlyIfNotStarted": true`).
    static func payload(_ extra: String = "") -> [UInt8] {
        let members = [
            #""tenantId":"acme","userId":"u-1","courseId":"c","ruleId":"\#(ruleId)","ruleVersion":2"#,
            #""reason":"rule no longer matches","idempotencyKey":"k""#,
            extra,
        ]
        return Array("{\(members.filter { !$0.isEmpty }.joined(separator: ","))}".utf8)
    }

    static func violations(_ bytes: [UInt8]) throws -> [SchemaViolation] {
        try JSONSchemaValidator.bundled(for: .withdrawRequested).validate(bytes)
    }

    @Test("the schema accepts true and false, and the field decodes", arguments: [true, false])
    func accepted(value: Bool) throws {
        let bytes = Self.payload(#""onlyIfNotStarted":\#(value)"#)
        #expect(try Self.violations(bytes).isEmpty)
        let command = try LMSJSON.decode(EnrollmentChangeCommand.self, from: bytes)
        #expect(command.onlyIfNotStarted == value)
        try command.validate()
    }

    @Test("absent decodes as nil and is not written back")
    func absent() throws {
        let bytes = Self.payload()
        #expect(try Self.violations(bytes).isEmpty)
        let command = try LMSJSON.decode(EnrollmentChangeCommand.self, from: bytes)
        #expect(command.onlyIfNotStarted == nil)
        let json = String(decoding: try LMSJSON.encode(command), as: UTF8.self)
        #expect(!json.contains("onlyIfNotStarted"))
    }

    @Test("a wrong type is rejected by the schema and the decoder", arguments: [#""true""#, "1", "null"])
    func wrongType(json: String) throws {
        let bytes = Self.payload(#""onlyIfNotStarted":\#(json)"#)
        #expect(try Self.violations(bytes).map(\.path).contains("/onlyIfNotStarted"))
        if json != "null" {
            let error = #expect(throws: PayloadDecodingError.self) { try LMSJSON.decode(EnrollmentChangeCommand.self, from: bytes) }
            #expect(error?.field == "onlyIfNotStarted")
        }
    }
}
