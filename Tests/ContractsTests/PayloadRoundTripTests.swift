import Contracts
import Testing

@Suite("Payload round trips and schema conformance")
struct PayloadRoundTripTests {
    @Test("encode → decode is lossless", arguments: Samples.all)
    func roundTrip(sample: PayloadSample) throws {
        try assertRoundTrip(sample.payload)
    }

    @Test("validate(), make → schema-valid data → binary headers → decode → decodePayload", arguments: Samples.all)
    func throughCloudEvent(sample: PayloadSample) throws {
        try assertThroughCloudEvent(sample.payload, type: sample.type)
    }

    @Test("every event type has at least one sample")
    func samplesCoverAllTypes() {
        let covered = Set(Samples.all.map(\.type))
        #expect(covered == Set(EventType.all))
    }

    @Test("optional fields are omitted, not null")
    func optionalsOmitted() throws {
        let activity = LearningActivity(
            tenantId: "acme", statementId: Samples.ruleId, userId: "u", courseId: "c", moduleId: "m", verb: .started,
            occurredAt: Samples.instant)
        let json = String(decoding: try LMSJSON.encode(activity), as: UTF8.self)
        #expect(!json.contains("null"))
        #expect(!json.contains("progress"))
        #expect(
            json == """
                {"courseId":"c","moduleId":"m","occurredAt":"2026-12-10T08:36:53.123Z",\
                "statementId":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","tenantId":"acme","userId":"u","verb":"started"}
                """)
    }

    @Test("wire names: snake_case progress status, self source, lowercase UUIDs, dates")
    func wireNames() throws {
        let sample = try #require(Samples.all.first { $0.name == "enrollment status changed" })
        let json = String(decoding: try LMSJSON.encode(sample.payload), as: UTF8.self)
        #expect(json.contains(#""source":"self""#))
        #expect(json.contains(#""enrollmentId":"0b6a2f5e-3c1d-4e8a-9f3b-6d2c1a0e9b7f""#))
        let progress = String(decoding: try LMSJSON.encode(ProgressStatus.notStarted), as: UTF8.self)
        #expect(progress == #""not_started""#)
        let created = String(decoding: try LMSJSON.encode(Samples.all[0].payload), as: UTF8.self)
        #expect(created.contains(#""hireDate":"2024-02-29""#))
        #expect(created.contains(#""sourceVersion":1732870613123456"#))
        #expect(created.contains(#""level":3,"#))
    }

    private func assertRoundTrip<P: EventPayload>(_ payload: P) throws {
        let bytes = try LMSJSON.encode(payload)
        let decoded = try LMSJSON.decode(P.self, from: bytes)
        #expect(decoded == payload)
        // Encoding is deterministic (sorted keys).
        #expect(try LMSJSON.encode(decoded) == bytes)
    }

    private func assertThroughCloudEvent<P: EventPayload>(_ payload: P, type: EventType) throws {
        // make validates the payload and encodes it with LMSJSON.
        let event = try CloudEvent.make(payload, type: type, source: "/lms/test", time: Samples.instant)
        #expect(event.type == type)
        #expect(event.subject == payload.aggregateId)
        #expect(event.kafkaKey == "\(payload.tenantId)/\(payload.aggregateId)")
        let received = try CloudEvent.decode(headers: event.binaryModeHeaderBytes, value: event.data)
        #expect(received == event)
        #expect(try received.decodePayload(P.self) == payload)
        #expect(try received.schemaViolations().isEmpty, "\(String(decoding: event.data, as: UTF8.self))")
    }
}
