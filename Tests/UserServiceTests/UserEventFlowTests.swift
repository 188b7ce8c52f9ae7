import Contracts
import Foundation
import Kafka
import TestSupport
import Testing
import UserService

/// `platform.user-events.v1` → `users` tables → `lms.users.v1` (and `lms.dlq.v1`), through the
/// real consumer runtime, PostgreSQL and the in-process development broker.
@Suite("User events end to end", .serialized, .hangGuard)
struct UserEventFlowTests {
    private let platform = PlatformEvents(tenant: "acme")

    @Test func eachEventTypeFlowsToTheTableAndToLmsUsers() async throws {
        try await UserServiceHarness.run { harness in
            try await harness.publish([
                try platform.userCreated(
                    "u-1", department: "R&D", location: "London", jobRole: "Engineer", hireDate: "2020-01-15", email: "ada@example.com",
                    managerId: "m-1", attributes: ["level": 3, "remote": true, "costCenter": "CC-7"], sourceVersion: 1),
                // Merge patch: absent unchanged, null cleared, attributes merged per name.
                try platform.userChanged(
                    "u-1", ["location": "Berlin", "jobRole": nil, "attributes": ["costCenter": nil, "level": 4, "badge": "gold"]],
                    sourceVersion: 2),
                // Changes nothing: publishes nothing.
                try platform.userChanged("u-1", ["department": "R&D", "attributes": ["remote": true]], sourceVersion: 3),
                try platform.userLifecycle(.userDeactivated, "u-1", reason: "left the company", sourceVersion: 4),
                try platform.userLifecycle(.userReactivated, "u-1", reason: "rehired", sourceVersion: 5),
            ])
            let beforeErase = await harness.log.waitFor(.users, key: "acme/u-1") { $0.count >= 4 }
            #expect(beforeErase.map(\.eventType) == ["lms.user.upserted", "lms.user.upserted", "lms.user.deactivated", "lms.user.reactivated"])

            let created = try #require(beforeErase.first?.snapshot)
            #expect(created.version == 1 && created.status == .active)
            #expect(created.email == "ada@example.com" && created.hireDate == CalendarDate("2020-01-15") && created.managerId == "m-1")
            #expect(
                created.changedFields == [
                    "email", "givenName", "familyName", "jobRole", "department", "location", "hireDate", "managerId",
                    "attributes.costCenter", "attributes.level", "attributes.remote",
                ])

            let patched = try #require(beforeErase.dropFirst().first?.snapshot)
            #expect(patched.version == 2)
            #expect(patched.changedFields == ["jobRole", "location", "attributes.badge", "attributes.costCenter", "attributes.level"])
            #expect(patched.department == "R&D", "absent in the patch: unchanged")
            #expect(patched.jobRole == nil, "null in the patch: cleared")
            #expect(patched.location == "Berlin")
            #expect(patched.attributes == ["level": 4, "remote": true, "badge": "gold"])

            let deactivated = try #require(beforeErase.dropFirst(2).first?.lifecycle)
            #expect(deactivated.version == 3 && deactivated.reason == "left the company")
            let reactivated = try #require(beforeErase.dropFirst(3).first?.lifecycle)
            #expect(reactivated.version == 4 && reactivated.reason == "rehired")

            let first = try #require(beforeErase.first)
            #expect(first.headers.string(for: "ce_source") == "/lms/user-service")
            #expect(first.headers.string(for: "ce_subject") == "u-1")
            #expect(first.headers.string(for: "ce_tenantid") == "acme")
            #expect(first.headers.string(for: "content-type") == "application/json")
            #expect(first.headers.string(for: "traceparent") == nil, "the input carried no trace context")

            let active = try #require(try await harness.user("u-1"))
            #expect(active.status == "active" && active.version == 4 && active.sourceVersion == 5)
            #expect(active.department == "R&D" && active.location == "Berlin" && active.jobRole == nil)

            // Erase in a later batch, so the stored history is wiped too.
            try await harness.publish([try platform.userLifecycle(.userErased, "u-1", reason: "GDPR request", sourceVersion: 6)])
            let all = await harness.log.waitFor(.users, key: "acme/u-1") { $0.count >= 5 }
            #expect(all.count == 5)
            let erased = try #require(all.last?.lifecycle)
            #expect(all.last?.eventType == "lms.user.erased" && erased.version == 5 && erased.reason == "GDPR request")

            let tombstone = try #require(try await harness.user("u-1"))
            #expect(tombstone.status == "erased" && tombstone.version == 5 && tombstone.sourceVersion == 6)
            #expect(tombstone.email == nil && tombstone.givenName == nil && tombstone.familyName == nil && tombstone.department == nil)
            #expect(tombstone.location == nil && tombstone.hireDate == nil && tombstone.managerId == nil && tombstone.attributes == [:])

            let history = try await harness.history("u-1")
            #expect(history.map(\.action) == ["created", "updated", "deactivated", "reactivated", "erased"])
            #expect(history.allSatisfy { $0.changes == nil }, "erase wipes the recorded values")
            #expect(history.map(\.reason) == [nil, nil, nil, nil, "GDPR request"])
            #expect(history.allSatisfy { $0.actor == PlatformEvents.source && $0.origin == "event" })
            #expect(history[1].changedFields == ["jobRole", "location", "attributes.badge", "attributes.costCenter", "attributes.level"])
            let leaks = try await harness.count(
                "SELECT count(*)::int FROM user_history WHERE changes::text LIKE '%ada@example.com%' OR changes::text LIKE '%Berlin%'")
            #expect(leaks == 0)
            #expect(await harness.log.messages(on: .deadLetter).isEmpty)
        }
    }

    @Test func staleAndRedeliveredEventsChangeNothingAndPublishNothingTwice() async throws {
        try await UserServiceHarness.run { harness in
            let created = try platform.userCreated("u-2", department: "Sales", sourceVersion: 10)
            let newer = try platform.userChanged("u-2", ["department": "Marketing"], sourceVersion: 12)
            let older = try platform.userChanged("u-2", ["department": "Support"], sourceVersion: 11)
            let staleDeactivation = try platform.userLifecycle(.userDeactivated, "u-2", sourceVersion: 11)
            try await harness.publish([created, newer, older, staleDeactivation])
            // The same events again (same ce_id: the inbox drops them) and a created with a new id and
            // the same source version (stale).
            try await harness.publish([created, newer, try platform.userCreated("u-2", department: "Sales", sourceVersion: 10)])
            // A created for an existing user with different data is an update (idempotent create).
            try await harness.publish([try platform.userCreated("u-2", department: "Marketing", location: "Paris", sourceVersion: 13)])

            // Without sourceVersion arrival order wins; an identical created changes nothing.
            try await harness.publish([
                try platform.userCreated("u-3", department: "A"), try platform.userCreated("u-3", department: "A"),
                try platform.userChanged("u-3", ["department": "B"]), try platform.userChanged("u-3", ["department": "C"]),
            ])

            let u2 = await harness.log.waitFor(.users, key: "acme/u-2") { $0.count >= 3 }
            let u3 = await harness.log.waitFor(.users, key: "acme/u-3") { $0.count >= 3 }
            try await Task.sleep(for: .seconds(2))  // anything published twice would arrive meanwhile
            let finalU2 = await harness.log.messages(on: .users, key: "acme/u-2")
            let finalU3 = await harness.log.messages(on: .users, key: "acme/u-3")
            #expect(finalU2.count == 3 && u2.count == 3)
            #expect(finalU2.compactMap(\.snapshot).map(\.version) == [1, 2, 3])
            #expect(finalU2.compactMap(\.snapshot).map(\.department) == ["Sales", "Marketing", "Marketing"])
            #expect(finalU2.last?.snapshot?.changedFields == ["location"])
            #expect(finalU3.count == 3 && u3.count == 3)
            #expect(finalU3.compactMap(\.snapshot).map(\.department) == ["A", "B", "C"])

            let stored = try #require(try await harness.user("u-2"))
            #expect(stored.department == "Marketing" && stored.location == "Paris" && stored.status == "active")
            #expect(stored.version == 3 && stored.sourceVersion == 13)
            #expect(try await harness.history("u-2").map(\.action) == ["created", "updated", "updated"])
            #expect(try await harness.user("u-3")?.department == "C")
            #expect(await harness.log.messages(on: .deadLetter).isEmpty, "stale events are ignored, not dead-lettered")

            let metrics = try await harness.http.send("GET", "/metrics").text
            #expect(metrics.contains("user_events_stale_total{type=\"platform.user.updated\"}"))
            #expect(metrics.contains("user_events_stale_total{type=\"platform.user.deactivated\"}"))
            #expect(metrics.contains("user_events_stale_total{type=\"platform.user.created\"}"))
        }
    }

    @Test func poisonEventsLandInTheDeadLetterQueueAndTheNextGoodEventApplies() async throws {
        try await UserServiceHarness.run { harness in
            let validCreated = try platform.userCreated("bad-attr")
            var otherTenant = try platform.userCreated("mismatch")
            otherTenant.tenantId = "globex"
            var unknownType = try platform.userCreated("promoted")
            unknownType.type = EventType("platform.user.promoted")
            var malformed = UserServiceHarness.message(try platform.userCreated("malformed"))
            malformed.value = Array("{\"tenantId\": \"acme\", ".utf8)

            try await harness.publish(raw: [
                // Update / deactivation of users nobody created, then the good events for them.
                UserServiceHarness.message(try platform.userChanged("ghost-1", ["department": "Ops"])),
                UserServiceHarness.message(try platform.userCreated("ghost-1")),
                UserServiceHarness.message(try platform.userChanged("ghost-1", ["department": "Ops"])),
                UserServiceHarness.message(try platform.userLifecycle(.userDeactivated, "ghost-2")),
                UserServiceHarness.message(try platform.userCreated("ghost-2")),
                // Invalid email, an attribute of an unknown type, clearing a required field.
                UserServiceHarness.message(
                    PlatformEvents.withPayload(
                        try platform.userCreated("bad-email"),
                        #"{"tenantId":"acme","userId":"bad-email","email":"not-an-email","givenName":"B","familyName":"E"}"#)),
                UserServiceHarness.message(try platform.userCreated("bad-email", email: "fixed@example.com")),
                UserServiceHarness.message(
                    PlatformEvents.withPayload(
                        validCreated,
                        #"{"tenantId":"acme","userId":"bad-attr","email":"b@example.com","givenName":"B","familyName":"C","attributes":{"tags":["a","b"]}}"#
                    )),
                UserServiceHarness.message(validCreated),
                UserServiceHarness.message(try platform.userCreated("bad-patch")),
                UserServiceHarness.message(
                    PlatformEvents.withPayload(
                        try platform.userChanged("bad-patch", ["location": "x"]),
                        #"{"tenantId":"acme","userId":"bad-patch","changes":{"email":null}}"#)),
                UserServiceHarness.message(try platform.userChanged("bad-patch", ["location": "Rome"])),
                // An erased user takes no more changes.
                UserServiceHarness.message(try platform.userCreated("gone")),
                UserServiceHarness.message(try platform.userLifecycle(.userErased, "gone")),
                UserServiceHarness.message(try platform.userChanged("gone", ["department": "Ops"])),
                UserServiceHarness.message(try platform.userCreated("after-gone")),
                // Envelope problems the runtime catches before the handler.
                UserServiceHarness.message(otherTenant),
                UserServiceHarness.message(try platform.userCreated("mismatch")),
                UserServiceHarness.message(unknownType),
                malformed,
                UserServiceHarness.message(try platform.userCreated("last")),
            ])

            let letters = await harness.log.waitFor(.deadLetter) { $0.count >= 9 }
            let classes = letters.compactMap { $0.headers.string(for: "dlq_error_class") }.sorted()
            #expect(
                classes
                    == [
                        "malformed-json", "schema-invalid", "schema-invalid", "schema-invalid", "tenant-mismatch", "unknown-type",
                        "unknown-user", "unknown-user", "user-erased",
                    ])
            for letter in letters {
                #expect(letter.headers.string(for: "dlq_source_topic") == Topic.platformUserEvents.name)
                #expect(letter.headers.string(for: "dlq_consumer_group") == "user-service.platform-user-events")
                #expect(!(letter.headers.string(for: "dlq_error_message") ?? "").isEmpty)
            }
            func message(_ errorClass: String, key: String) -> String {
                letters.first { $0.headers.string(for: "dlq_error_class") == errorClass && $0.keyString == key }?
                    .headers.string(for: "dlq_error_message") ?? ""
            }
            #expect(message("schema-invalid", key: "acme/bad-email").contains("email"))
            #expect(message("schema-invalid", key: "acme/bad-attr").contains("attributes"))
            #expect(message("schema-invalid", key: "acme/bad-patch").contains("email"))
            #expect(message("unknown-user", key: "acme/ghost-1").contains("ghost-1"))
            #expect(message("user-erased", key: "acme/gone").contains("erased"))

            // Good events of other partitions may still be in flight: wait until all twelve applied.
            #expect(try await eventually { try await harness.count("SELECT count(*)::int FROM inbox") == 12 })
            #expect(try await harness.user("ghost-1")?.department == "Ops", "the update after the refused one applies")
            #expect(try await harness.user("ghost-2")?.status == "active")
            #expect(try await harness.user("bad-email")?.email == "fixed@example.com")
            #expect(try await harness.user("bad-attr")?.attributes == [:])
            let patched = try #require(try await harness.user("bad-patch"))
            #expect(patched.location == "Rome" && patched.email == "bad-patch@acme.example")
            #expect(try await harness.user("gone")?.status == "erased")
            #expect(try await harness.user("after-gone") != nil)
            #expect(try await harness.user("mismatch")?.status == "active")
            #expect(try await harness.user("last") != nil)
            #expect(try await harness.user("promoted") == nil)
            #expect(try await harness.user("malformed") == nil)
            let applied = try await harness.count("SELECT count(*)::int FROM inbox")
            #expect(applied == 12, "refused events are not recorded as processed, so a fixed replay applies")
        }
    }
}
