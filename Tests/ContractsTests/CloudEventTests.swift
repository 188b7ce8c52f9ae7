import Contracts
import Foundation
import Testing

@Suite("CloudEvents envelope (Kafka binding)")
struct CloudEventTests {
    static let payload = PlatformUserCreated(
        tenantId: "acme-corp",
        userId: "u-1001",
        email: "ada@acme.example",
        givenName: "Ada",
        familyName: "Lovelace"
    )
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    static func event() throws -> CloudEvent {
        try CloudEvent.make(
            payload,
            source: "/hr/sync",
            id: "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f",
            time: Samples.instant,
            traceparent: traceparent
        )
    }

    static func bytes(_ headers: [(key: String, value: String)]) -> [(key: String, value: [UInt8])] {
        headers.map { (key: $0.key, value: Array($0.value.utf8)) }
    }

    @Test("binary-mode headers")
    func headers() throws {
        let event = try Self.event()
        let headers = Dictionary(uniqueKeysWithValues: event.binaryModeHeaders.map { ($0.key, $0.value) })
        #expect(
            headers == [
                "ce_specversion": "1.0",
                "ce_id": "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f",
                "ce_source": "/hr/sync",
                "ce_type": "platform.user.created",
                "ce_time": "2026-12-10T08:36:53.123Z",
                "ce_subject": "u-1001",
                "ce_tenantid": "acme-corp",
                "content-type": "application/json",
                "traceparent": Self.traceparent,
            ]
        )
        #expect(event.kafkaKey == "acme-corp/u-1001")
        let withoutTrace = try CloudEvent.make(Self.payload, source: "/hr")
        #expect(!withoutTrace.binaryModeHeaders.contains { $0.key == "traceparent" })
        #expect(UUID(uuidString: withoutTrace.id) != nil)
    }

    @Test("binary mode round trip")
    func binaryRoundTrip() throws {
        let event = try Self.event()
        let decoded = try CloudEvent.decode(headers: Self.bytes(event.binaryModeHeaders), value: event.data)
        #expect(decoded == event)
        #expect(try decoded.decodePayload(PlatformUserCreated.self) == Self.payload)
    }

    @Test("header names match case-insensitively; other headers are ignored")
    func headerCase() throws {
        let event = try Self.event()
        var headers = event.binaryModeHeaders.map { (key: $0.key.uppercased(), value: $0.value) }
        headers.insert((key: "dlq_source_topic", value: "x"), at: 0)
        let decoded = try CloudEvent.decode(headers: Self.bytes(headers), value: event.data)
        #expect(decoded == event)
    }

    @Test("ce_time with offset and without fraction")
    func timeVariants() throws {
        let event = try Self.event()
        var headers = event.binaryModeHeaders.filter { $0.key != "ce_time" }
        headers.append((key: "ce_time", value: "2026-12-10T09:36:53+01:00"))
        let decoded = try CloudEvent.decode(headers: Self.bytes(headers), value: event.data)
        #expect(decoded.time == Date(timeIntervalSince1970: 1_796_891_813))
    }

    @Test(
        "every required header is named when missing",
        arguments: [
            "ce_specversion", "ce_id", "ce_source", "ce_type", "ce_tenantid",
        ]
    )
    func missingRequired(name: String) throws {
        let event = try Self.event()
        let headers = event.binaryModeHeaders.filter { $0.key != name }
        let error = #expect(throws: CloudEventDecodingError.self) {
            try CloudEvent.decode(headers: Self.bytes(headers), value: event.data)
        }
        #expect(error?.reason == .missingAttribute(name))
        #expect(error?.description.contains(name) == true)
    }

    @Test("invalid attribute values")
    func invalidAttributes() throws {
        let event = try Self.event()
        func decode(replacing name: String, with value: String) throws(CloudEventDecodingError) -> CloudEvent {
            var headers = event.binaryModeHeaders.filter { $0.key != name }
            headers.append((key: name, value: value))
            return try CloudEvent.decode(headers: Self.bytes(headers), value: event.data)
        }
        #expect(throws: CloudEventDecodingError(.unsupportedSpecVersion)) { try decode(replacing: "ce_specversion", with: "0.3") }
        let time = #expect(throws: CloudEventDecodingError.self) { try decode(replacing: "ce_time", with: "yesterday") }
        #expect(time?.attribute == "ce_time")
        let tenant = #expect(throws: CloudEventDecodingError.self) { try decode(replacing: "ce_tenantid", with: "Acme Corp") }
        #expect(tenant?.attribute == "ce_tenantid")
        #expect(try decode(replacing: "ce_subject", with: "").subject == "")
        // An invalid traceparent is dropped, not fatal (W3C Trace Context).
        #expect(try decode(replacing: "traceparent", with: "garbage").traceparent == nil)
        // Unknown types decode so the consumer can dead-letter them.
        let unknown = try decode(replacing: "ce_type", with: "platform.user.promoted")
        #expect(unknown.type == EventType("platform.user.promoted"))
        #expect(!unknown.type.isKnown)
        #expect(unknown.type.topic == nil)
    }

    @Test("invalid UTF-8 in a header")
    func invalidUTF8() throws {
        let event = try Self.event()
        var headers = Self.bytes(event.binaryModeHeaders.filter { $0.key != "ce_source" })
        headers.append((key: "ce_source", value: [0x2F, 0xFF, 0xFE]))
        #expect(throws: CloudEventDecodingError(.invalidAttribute("ce_source", "not valid UTF-8"))) {
            try CloudEvent.decode(headers: headers, value: event.data)
        }
    }

    @Test("empty payload")
    func emptyPayload() throws {
        let event = try Self.event()
        #expect(throws: CloudEventDecodingError(.emptyPayload)) {
            try CloudEvent.decode(headers: Self.bytes(event.binaryModeHeaders), value: nil)
        }
        #expect(throws: CloudEventDecodingError(.emptyPayload)) {
            try CloudEvent.decode(headers: Self.bytes(event.binaryModeHeaders), value: [])
        }
    }

    @Test("structured mode")
    func structured() throws {
        let value = try Fixtures.bytes("cloudevents/structured.json")
        let headers = Self.bytes([(key: "content-type", value: "application/cloudevents+json; charset=UTF-8")])
        let event = try CloudEvent.decode(headers: headers, value: value)
        #expect(event.id == "7d3c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a0f")
        #expect(event.source == "/hr/workday-sync")
        #expect(event.type == .userCreated)
        #expect(event.time == Date(timeIntervalSince1970: 1_795_941_413))  // 2026-11-29T08:36:53Z
        #expect(event.subject == "u-1001")
        #expect(event.tenantId == "acme-corp")
        #expect(event.dataContentType == "application/json")
        #expect(event.traceparent == Self.traceparent)
        #expect(event.kafkaKey == "acme-corp/u-1001")
        let payload = try event.decodePayload(PlatformUserCreated.self)
        #expect(payload.email == "ada.lovelace@acme.example")
        // The data member is taken byte for byte, so large integers survive.
        #expect(payload.sourceVersion == 9_007_199_254_740_993)
        #expect(try event.schemaViolations() == [])
    }

    /// CloudEvents makes `subject` and `time` optional and official SDKs omit them: such an event is
    /// accepted, with an empty subject and the time it was read.
    @Test("optional subject and time, in binary and structured mode")
    func optionalSubjectAndTime() throws {
        let event = try Self.event()
        let before = Date()
        let headers = event.binaryModeHeaders.filter { $0.key != "ce_subject" && $0.key != "ce_time" }
        let binary = try CloudEvent.decode(headers: Self.bytes(headers), value: event.data)
        #expect(binary.subject == "")
        #expect(binary.time >= RFC3339.roundedToMilliseconds(before).addingTimeInterval(-0.001))
        #expect(try binary.decodePayload(PlatformUserCreated.self) == event.decodePayload(PlatformUserCreated.self))

        let structured =
            #"{"specversion":"1.0","id":"1","source":"/s","type":"platform.user.erased","tenantid":"acme","data":{"tenantId":"acme","userId":"u-1"}}"#
        let decoded = try CloudEvent.decode(
            headers: Self.bytes([(key: "content-type", value: "application/cloudevents+json")]),
            value: Array(structured.utf8)
        )
        #expect(decoded.subject == "")
        #expect(try decoded.decodePayload(PlatformUserLifecycle.self) == PlatformUserLifecycle(tenantId: "acme", userId: "u-1"))
    }

    @Test("structured mode: data_base64, content-type case, errors")
    func structuredVariants() throws {
        let data = Array(#"{"tenantId":"acme","userId":"u-1"}"#.utf8)
        let base =
            #"{"specversion":"1.0","id":"1","source":"/s","type":"platform.user.erased","time":"2026-11-29T08:36:53.5Z","subject":"u-1","tenantid":"acme""#
        let headers = Self.bytes([(key: "Content-Type", value: "APPLICATION/CLOUDEVENTS+JSON")])
        let encoded = Data(data).base64EncodedString()
        let event = try CloudEvent.decode(headers: headers, value: Array((base + #","data_base64":"\#(encoded)"}"#).utf8))
        #expect(event.data == data)
        #expect(try event.decodePayload(PlatformUserLifecycle.self) == PlatformUserLifecycle(tenantId: "acme", userId: "u-1"))

        #expect(throws: CloudEventDecodingError(.emptyPayload)) {
            try CloudEvent.decode(headers: headers, value: Array((base + "}").utf8))
        }
        #expect(throws: CloudEventDecodingError(.missingAttribute("tenantid"))) {
            try CloudEvent.decode(
                headers: headers,
                value: Array(base.replacingOccurrences(of: #","tenantid":"acme""#, with: "").appending(#","data":{}}"#).utf8)
            )
        }
        #expect(throws: CloudEventDecodingError(.invalidAttribute("id", "expected a string, found number"))) {
            try CloudEvent.decode(
                headers: headers,
                value: Array(base.replacingOccurrences(of: #""id":"1""#, with: #""id":1"#).appending(#","data":{}}"#).utf8)
            )
        }
        let malformed = #expect(throws: CloudEventDecodingError.self) {
            try CloudEvent.decode(headers: headers, value: Array("{not json".utf8))
        }
        guard case .malformedStructuredEvent? = malformed?.reason else {
            Issue.record("expected malformedStructuredEvent, got \(String(describing: malformed))")
            return
        }
        #expect(throws: CloudEventDecodingError.self) {
            try CloudEvent.decode(headers: headers, value: Array("[]".utf8))
        }
    }

    @Test("time is kept at millisecond precision")
    func millisecondTime() throws {
        let event = CloudEvent(
            source: "/s",
            type: .userErased,
            time: Date(timeIntervalSince1970: 1_796_891_813.123_456_7),
            subject: "u",
            tenantId: "acme",
            data: Array("{}".utf8)
        )
        #expect(event.time == Date(timeIntervalSince1970: 1_796_891_813.123))
        let decoded = try CloudEvent.decode(headers: Self.bytes(event.binaryModeHeaders), value: event.data)
        #expect(decoded == event)
    }

    @Test("report keys")
    func reportKeys() throws {
        let compliance = try #require(Samples.all.first { $0.type == .complianceReport }?.payload as? ComplianceReport)
        #expect(try CloudEvent.make(compliance, source: "/lms/report-service").kafkaKey == "acme/c/jobRole/Forklift operator")
        let summary = try #require(Samples.all.first { $0.type == .courseSummaryReport }?.payload as? CourseSummaryReport)
        #expect(try CloudEvent.make(summary, source: "/lms/report-service").kafkaKey == "acme/c")
    }
}
