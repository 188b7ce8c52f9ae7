import Contracts
import Foundation
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing
import UserService

/// The in-memory rules every write path shares (events, API, import).
@Suite("User change set")
struct UserChangeSetTests {
    private let clock = TestClock()
    private let key = UserKey(tenantId: "acme", userId: "u-1")
    private let profile = UserProfile(
        email: "ada@example.com", givenName: "Ada", familyName: "Lovelace", jobRole: "Engineer", department: "R&D",
        attributes: ["level": 3, "remote": true])

    private func context(_ sourceVersion: Int64? = nil) -> UserChangeContext {
        UserChangeContext(actor: "/hr-sync", origin: .event, correlationId: UUID().uuidString, sourceVersion: sourceVersion, time: clock.now())
    }

    private func types(_ changes: UserChangeSet) -> [String] {
        changes.events.map(\.type.rawValue)
    }

    @Test func createThenMergePatch() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        #expect(try changes.apply(.upsert(profile), to: key, context: context()) == .created)
        let patch: [String: JSONValue] = ["department": nil, "location": "Berlin", "attributes": ["remote": nil, "badge": "gold"]]
        #expect(try changes.apply(.patch(patch), to: key, context: context()) == .updated)
        let record = try #require(changes.records[key])
        #expect(record.version == 2 && record.profile?.department == nil && record.profile?.jobRole == "Engineer")
        #expect(record.profile?.location == "Berlin" && record.profile?.attributes == ["level": 3, "badge": "gold"])
        #expect(
            changes.history.map(\.changedFields) == [profile.populatedFields, ["department", "location", "attributes.badge", "attributes.remote"]])
        #expect(types(changes) == ["lms.user.upserted", "lms.user.upserted"])
        #expect(changes.pendingRows.count == 1 && changes.pendingRows.first?.isNew == true)
        #expect(changes.history.last?.changes?.first == FieldChange(field: "department", from: "R&D", to: nil))
    }

    @Test func idempotentCreateAndNoOpsPublishNothing() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        _ = try changes.apply(.upsert(profile), to: key, context: context())
        #expect(try changes.apply(.upsert(profile), to: key, context: context()) == .unchanged)
        #expect(try changes.apply(.patch(["department": "R&D"]), to: key, context: context()) == .unchanged)
        #expect(try changes.apply(.reactivate(reason: nil), to: key, context: context()) == .unchanged)
        var moved = profile
        moved.location = "Paris"
        #expect(try changes.apply(.upsert(moved), to: key, context: context()) == .updated, "created for an existing user is an update")
        #expect(changes.history.last?.changedFields == ["location"])
        #expect(changes.events.count == 2)
    }

    @Test func staleSourceVersionsAreIgnored() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        _ = try changes.apply(.upsert(profile), to: key, context: context(5))
        #expect(try changes.apply(.patch(["department": "Ops"]), to: key, context: context(5)) == .stale)
        #expect(try changes.apply(.deactivate(reason: nil), to: key, context: context(4)) == .stale)
        #expect(try changes.apply(.patch(["department": "Ops"]), to: key, context: context(7)) == .updated)
        #expect(try changes.apply(.patch(["department": "Sales"]), to: key, context: context(6)) == .stale)
        #expect(try changes.apply(.patch(["department": "Ops"]), to: key, context: context(8)) == .unchanged)
        #expect(changes.records[key]?.sourceVersion == 8 && changes.records[key]?.profile?.department == "Ops")
        #expect(try changes.apply(.patch(["department": "Legal"]), to: key, context: context()) == .updated, "no version: arrival order")
    }

    @Test func refusalsChangeNothing() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        #expect(throws: UserCommandError(kind: .unknownUser, key: key)) { try changes.apply(.patch(["location": "x"]), to: key, context: context()) }
        #expect(throws: UserCommandError(kind: .unknownUser, key: key)) { try changes.apply(.deactivate(reason: nil), to: key, context: context()) }
        _ = try changes.apply(.create(profile), to: key, context: context())
        #expect(throws: UserCommandError(kind: .alreadyExists, key: key)) { try changes.apply(.create(profile), to: key, context: context()) }
        #expect(throws: UserCommandError(kind: .invalid([FieldError(field: "email", message: "must be an email address")]), key: key)) {
            try changes.apply(.patch(["email": "nope"]), to: key, context: context())
        }
        #expect(changes.records[key]?.version == 1 && changes.events.count == 1)
    }

    @Test func eraseWipesProfileAndQueuedHistoryAndIsFinal() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        _ = try changes.apply(.upsert(profile), to: key, context: context())
        _ = try changes.apply(.deactivate(reason: "left"), to: key, context: context())
        #expect(try changes.apply(.erase(reason: "GDPR", tombstoneIfUnknown: false), to: key, context: context()) == .updated)
        let record = try #require(changes.records[key])
        #expect(record.status == .erased && record.profile == nil && record.version == 3)
        #expect(changes.history.map(\.changes) == [nil, nil, nil])
        #expect(changes.history.map(\.reason) == [nil, nil, "GDPR"])
        #expect(types(changes) == ["lms.user.upserted", "lms.user.deactivated", "lms.user.erased"])
        #expect(try changes.apply(.erase(reason: nil, tombstoneIfUnknown: false), to: key, context: context()) == .unchanged)
        #expect(throws: UserCommandError(kind: .erased, key: key)) { try changes.apply(.upsert(profile), to: key, context: context()) }

        let stranger = UserKey(tenantId: "acme", userId: "never-seen")
        #expect(try changes.apply(.erase(reason: nil, tombstoneIfUnknown: true), to: stranger, context: context()) == .created)
        #expect(changes.records[stranger]?.status == .erased)
        #expect(throws: UserCommandError(kind: .erased, key: stranger)) { try changes.apply(.upsert(profile), to: stranger, context: context()) }
    }

    @Test func importRowsCreateFromPatchesAndNeedTheRequiredFields() throws {
        var changes = UserChangeSet(eventSource: "/lms/user-service")
        #expect(throws: UserCommandError(kind: .invalid([FieldError(field: "givenName", message: "is required")]), key: key)) {
            try changes.apply(.upsertPatch(["email": "a@b.co", "familyName": "B", "department": nil]), to: key, context: context())
        }
        let patch: [String: JSONValue] = ["email": "a@b.co", "givenName": "A", "familyName": "B", "department": nil, "attributes": ["x": nil]]
        #expect(try changes.apply(.upsertPatch(patch), to: key, context: context()) == .created)
        #expect(try changes.apply(.upsertPatch(patch), to: key, context: context()) == .unchanged)
    }
}
