import Contracts
import Foundation
import Kafka
import ServicePlatform
import Testing

@Suite("Inbox batch")
struct InboxBatchTests {
    @Test func decodeKeepsOrderAndRejectsUndecodableEvents() throws {
        let first = try consumed(user("u1", version: 1))
        let wrong = try consumed(lifecycle("u2", version: 1), type: .lmsUserErased)
        let second = try consumed(user("u3", version: 2), traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        let batch = [first, wrong, second].decode(UserSnapshot.self)
        #expect(batch.payloads.map(\.userId) == ["u1", "u3"])
        #expect(batch.items.map(\.event.event.id) == [first.event.id, second.event.id])
        #expect(batch.items.last?.traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        #expect(batch.rejections.map(\.eventId) == [wrong.event.id])
        #expect(batch.rejections.first?.errorClass == "undecodable-payload")
    }

    /// An `lms.*` payload is read once, by the typed decode; one that does not decode is classified
    /// as the consumer classifies platform input (the same dead-letter classes as before).
    @Test func anInternalPayloadThatDoesNotDecodeIsClassifiedByTheContractChecks() throws {
        func rejection(_ data: String, tenant: String = "acme") throws -> String? {
            var event = try consumed(user("u1", version: 1))
            event.event.data = Array(data.utf8)
            event.event.tenantId = tenant
            return [event].decode(UserSnapshot.self).rejections.first?.errorClass
        }
        #expect(try rejection(#"{"tenantId":"acme","#) == "malformed-json")
        #expect(try rejection(#"{"tenantId":"acme","userId":"u1","unexpected":true}"#) == "schema-invalid")
        let valid = String(decoding: try consumed(user("u1", version: 1)).event.data, as: UTF8.self)
        #expect(try rejection(valid, tenant: "globex") == "tenant-mismatch")
        #expect(try rejection(valid) == nil)
    }

    /// The typed decode is a tolerant reader: a field a newer producer adds is ignored, not refused.
    @Test func anInternalPayloadWithAFieldThisVersionDoesNotKnowIsRead() throws {
        var event = try consumed(user("u1", version: 1))
        let text = String(decoding: event.event.data, as: UTF8.self)
        event.event.data = Array(("{\"addedLater\":1," + text.dropFirst()).utf8)
        #expect(try !event.event.schemaViolations().isEmpty, "the schema refuses the field")
        let batch = [event].decode(UserSnapshot.self)
        #expect(batch.payloads.map(\.userId) == ["u1"] && batch.rejections.isEmpty)
    }

    @Test func aTransformCanRefuseOrLeaveOutAnEvent() throws {
        let events = [
            try consumed(user("u1", version: 1)), try consumed(user("u1", version: 1)),
            try consumed(lifecycle("u2", version: 3), type: .lmsUserErased),
        ]
        var seen = Set<String>()
        let batch = events.decode { consumed throws(EventRejection) -> String? in
            guard consumed.event.type == .lmsUserUpserted else { throw consumed.unexpectedType("a snapshot") }
            let snapshot = try consumed.payload(UserSnapshot.self)
            return seen.insert(snapshot.userId).inserted ? snapshot.userId : nil
        }
        #expect(batch.payloads == ["u1"])
        #expect(
            batch.rejections == [EventRejection(eventId: events[2].event.id, errorClass: "unknown-type", message: "not a snapshot: lms.user.erased")]
        )
    }

    @Test func newestByVersionKeepsTheHighestVersionPerKeyInFirstSeenOrder() {
        struct Fact: Equatable {
            var key: String
            var version: Int64
            var tag: String
        }
        let facts = [
            Fact(key: "b", version: 2, tag: "b2"), Fact(key: "a", version: 1, tag: "a1"), Fact(key: "b", version: 1, tag: "b1"),
            Fact(key: "a", version: 3, tag: "a3"), Fact(key: "a", version: 3, tag: "a3-again"), Fact(key: "c", version: 0, tag: "c0"),
        ]
        let newest = facts.newestByVersion(key: \.key, version: \.version)
        #expect(newest.map(\.tag) == ["b2", "a3", "c0"])
        #expect([Fact]().newestByVersion(key: \.key, version: \.version).isEmpty)
    }

    @Test func userEventsKeepEveryChangeInOrderWithItsTraceparent() throws {
        let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let events = [
            try consumed(user("u1", version: 1)),
            try consumed(lifecycle("u1", version: 2), type: .lmsUserDeactivated, traceparent: trace),
            try consumed(ResyncRequest(tenantId: "acme", resyncId: UUID(), requestedAt: Date())),
            try consumed(lifecycle("u2", version: 5), type: .lmsUserReactivated),
            try consumed(lifecycle("u1", version: 3), type: .lmsUserErased),
        ]
        let batch = UserEvents(events)
        #expect(batch.changes.map(\.payload.userId) == ["u1", "u1", "u2", "u1"])
        #expect(batch.changes.map(\.payload.version) == [1, 2, 5, 3])
        #expect(batch.changes.map(\.traceparent) == [nil, trace, nil, nil])
        #expect(batch.snapshots.map(\.userId) == ["u1"])
        #expect(batch.lifecycle.map(\.status) == [.deactivated, .active, .erased])
        #expect(batch.lifecycle.map(\.event.userId) == ["u1", "u2", "u1"])
        #expect(batch.rejections.map(\.errorClass) == ["unknown-type"])
        #expect(batch.rejections.first?.message == "not a user event: lms.resync.requested")
    }
}

private func user(_ userId: String, version: Int64) -> UserSnapshot {
    UserSnapshot(
        tenantId: "acme",
        userId: userId,
        email: nil,
        givenName: nil,
        familyName: nil,
        jobRole: nil,
        department: nil,
        location: nil,
        hireDate: nil,
        managerId: nil,
        attributes: [:],
        status: .active,
        changedFields: [],
        version: version,
        updatedAt: Date()
    )
}

private func lifecycle(_ userId: String, version: Int64) -> UserLifecycleEvent {
    UserLifecycleEvent(tenantId: "acme", userId: userId, version: version, occurredAt: Date())
}

/// An event as the consumer runtime hands it to a handler.
private func consumed<P: EventPayload>(_ payload: P, type: EventType? = nil, traceparent: String? = nil) throws -> ConsumedEvent {
    let event = try CloudEvent.make(payload, type: type, source: "/lms/tests", traceparent: traceparent)
    let message = KafkaConsumerMessage(
        topic: event.type.topic?.name ?? "",
        partition: 0,
        offset: 0,
        key: Array(event.kafkaKey.utf8),
        value: event.data,
        headers: []
    )
    return ConsumedEvent(event: event, message: message)
}
