import Contracts
import Foundation
import Testing

@Suite("Malformed payloads yield PayloadDecodingError naming the field")
struct PayloadDecodingTests {
    static let activity = #"""
        {"tenantId": "acme", "statementId": "0b6a2f5e-3c1d-4e8a-9f3b-6d2c1a0e9b7f", "userId": "u-1",
         "courseId": "c-1", "moduleId": "m-1", "verb": "started", "occurredAt": "2026-11-29T08:36:53Z"}
        """#

    /// Replaces `"key": <old value>` in the activity fixture.
    static func activity(replacing key: String, with json: String) -> [UInt8] {
        var members = (try? JSONValue(parsing: Array(activity.utf8)))?.objectValue ?? [:]
        members.removeValue(forKey: key)
        let rest = String(decoding: (try? LMSJSON.encode(JSONValue.object(members))) ?? [], as: UTF8.self)
        return Array("{\"\(key)\": \(json),\(rest.dropFirst())".utf8)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let key: String
        let json: String
        let field: String
        var testDescription: String { "\(key): \(json)" }
    }

    static let cases: [Case] = [
        Case(key: "statementId", json: #""not-a-uuid""#, field: "statementId"),
        Case(key: "statementId", json: "42", field: "statementId"),
        Case(key: "userId", json: "null", field: "userId"),
        Case(key: "verb", json: #""jumped""#, field: "verb"),
        Case(key: "occurredAt", json: #""yesterday""#, field: "occurredAt"),
        Case(key: "occurredAt", json: #""2026-02-30T00:00:00Z""#, field: "occurredAt"),
        Case(key: "durationSeconds", json: "1.5", field: "durationSeconds"),
        Case(key: "durationSeconds", json: "1e30", field: "durationSeconds"),
        Case(key: "durationSeconds", json: #""60""#, field: "durationSeconds"),
        Case(key: "progress", json: "true", field: "progress"),
        Case(key: "progress", json: "-0.1", field: "progress"),
        Case(key: "score", json: "100.5", field: "score"),
        Case(key: "moduleId", json: #""""#, field: "moduleId"),
        Case(key: "tenantId", json: #""ACME""#, field: "tenantId"),
    ]

    @Test("bad member values", arguments: cases)
    func badMember(testCase: Case) throws {
        let bytes = Self.activity(replacing: testCase.key, with: testCase.json)
        let event = CloudEvent(source: "/p", type: .learningActivity, subject: "u-1", tenantId: "acme", data: bytes)
        let error = #expect(throws: PayloadDecodingError.self) { try event.decodePayload(LearningActivity.self) }
        #expect(error?.field == testCase.field, "\(String(describing: error))")
        #expect(error?.message.isEmpty == false)
    }

    @Test("missing member")
    func missingMember() {
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(LearningActivity.self, from: Array(#"{"tenantId":"acme"}"#.utf8))
        }
        #expect(error?.field == "statementId" || error?.field == "userId" || error?.field == "courseId")
        #expect(error?.message == "required field is missing")
    }

    @Test("syntax errors have an empty field", arguments: ["", "{", "{\"tenantId\": }", "[1, 2", "nul", "{} trailing", "\u{FF}"])
    func syntaxError(text: String) {
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(LearningActivity.self, from: Array(text.utf8))
        }
        #expect(error?.field == "")
    }

    @Test("not an object at the top level")
    func wrongTopLevel() {
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(PlatformUserLifecycle.self, from: Array("[1,2]".utf8))
        }
        #expect(error?.field == "")
        #expect(error?.message.contains("object") == true)
    }

    @Test("nested paths use dots and [index]")
    func nestedPath() throws {
        var json = try #require(try JSONValue(parsing: LMSJSON.encode(Samples.explanation)).objectValue)
        var conditions = try #require(json["conditions"]?.arrayValue)
        conditions[1] = ["field": "x", "op": 5, "result": true]
        json["conditions"] = .array(conditions)
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(RuleExplanation.self, from: LMSJSON.encode(JSONValue.object(json)))
        }
        #expect(error?.field == "conditions[1].op")
        #expect(error?.message.hasPrefix("expected a string") == true)
    }

    @Test("integer fields: overflow and fraction deep inside are named")
    func nestedNumberDiagnosis() throws {
        let text =
            #"{"tenantId":"acme","courseId":"c","asOf":"2026-11-29T08:36:53Z","enrolled":1,"#
            + #""byStatus":{"active":1.25},"bySource":{},"completionRate":0,"averagePercent":0,"overdue":0,"version":1}"#
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(CourseSummaryReport.self, from: Array(text.utf8))
        }
        #expect(error?.field == "byStatus.active")
        #expect(error?.message == "expected an integer, found 1.25")

        let overflow = #"{"tenantId":"acme","userId":"u","sourceVersion":99999999999999999999}"#
        let overflowError = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode(PlatformUserLifecycle.self, from: Array(overflow.utf8))
        }
        #expect(overflowError?.field == "sourceVersion")
    }

    @Test("Int64 versions beyond 2^53 decode exactly")
    func largeIntegers() throws {
        let text = #"{"tenantId":"acme","userId":"u","sourceVersion":9007199254740993}"#
        let decoded = try LMSJSON.decode(PlatformUserLifecycle.self, from: Array(text.utf8))
        #expect(decoded.sourceVersion == 9_007_199_254_740_993)
    }

    @Test("validation errors name nested fields")
    func validationNames() {
        var snapshot = Samples.progressUpdated
        snapshot.completedModules = ["m-1", "m-1"]
        #expect(throws: PayloadValidationError(field: "completedModules[1]", message: "is a duplicate")) {
            try snapshot.validate()
        }
        snapshot.completedModules = []
        snapshot.cycle = 0
        #expect(throws: PayloadValidationError(field: "cycle", message: "must be at least 1")) { try snapshot.validate() }

        var command = EnrollCommand(
            tenantId: "acme", userId: "u", courseId: "c", ruleId: Samples.ruleId, ruleVersion: 1,
            explanation: Samples.explanation, idempotencyKey: "k")
        command.explanation.conditions[2].op = ""
        let error = #expect(throws: PayloadValidationError.self) { try command.validate() }
        #expect(error?.field == "explanation.conditions[2].op")

        var course = Samples.courseMinimal
        course.enrollmentOpensAt = Samples.later
        course.enrollmentClosesAt = Samples.instant
        #expect(throws: PayloadValidationError.self) { try course.validate() }

        let report = CourseSummaryReport(
            tenantId: "acme", courseId: "c", asOf: Samples.instant, enrolled: 1, byStatus: ["pending": 1], bySource: [:],
            completionRate: 0, averagePercent: 0, overdue: 0, version: 1)
        let reportError = #expect(throws: PayloadValidationError.self) { try report.validate() }
        #expect(reportError?.field == "byStatus.pending")
    }

    @Test("payload tenant must match ce_tenantid")
    func tenantMismatch() throws {
        let payload = PlatformUserLifecycle(tenantId: "acme", userId: "u-1")
        var event = try CloudEvent.make(payload, type: .userErased, source: "/hr")
        event.tenantId = "other"
        let error = #expect(throws: PayloadDecodingError.self) { try event.decodePayload(PlatformUserLifecycle.self) }
        #expect(error?.field == "tenantId")
    }

    @Test("decodePayload refuses a payload type the event type does not carry")
    func wrongPayloadType() throws {
        let event = try CloudEvent.make(PlatformUserLifecycle(tenantId: "acme", userId: "u-1"), type: .userErased, source: "/hr")
        #expect(throws: PayloadDecodingError.self) { try event.decodePayload(PlatformUserCreated.self) }
    }

    @Test("make needs a type for payloads shared by several event types")
    func makeNeedsType() throws {
        let payload = PlatformUserLifecycle(tenantId: "acme", userId: "u-1")
        #expect(throws: PayloadValidationError.self) { try CloudEvent.make(payload, source: "/hr") }
        #expect(throws: PayloadValidationError.self) { try CloudEvent.make(payload, type: .userCreated, source: "/hr") }
        let created = try CloudEvent.make(try #require(Samples.all[0].payload as? PlatformUserCreated), source: "/hr")
        #expect(created.type == .userCreated)
        // make refuses to publish an invalid payload.
        #expect(throws: PayloadValidationError.self) {
            try CloudEvent.make(PlatformUserLifecycle(tenantId: "ACME", userId: "u-1"), type: .userErased, source: "/hr")
        }
    }
}
