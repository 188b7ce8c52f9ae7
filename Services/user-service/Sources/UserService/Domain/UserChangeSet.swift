import Contracts
import Foundation

/// The users one transaction works on and what it changes: commands are applied in memory, in
/// order, and the result is written back at once by ``UserDirectory/save(_:on:)`` — rows with one
/// multi-row upsert, one history insert, one outbox insert.
///
/// Every applied change that is visible to others bumps the user's `version`, adds a history
/// entry and queues its event: `lms.user.upserted` when the profile changed (with the changed
/// fields), `lms.user.deactivated|reactivated|erased` for lifecycle changes. A command that
/// changes nothing queues nothing.
package struct UserChangeSet: Sendable {
    /// The CloudEvents `source` of the events this set queues.
    package let eventSource: String
    /// The current (possibly not yet written) state of each user.
    package private(set) var records: [UserKey: UserRecord] = [:]
    /// Keys the database was asked about (found or not), so chunked work never loads a key twice.
    private var loadedKeys: Set<UserKey> = []
    /// Versions of the rows as stored; absent for users that have no row yet.
    private var storedVersions: [UserKey: Int64] = [:]
    private var pendingKeys: [UserKey] = []
    private var pendingKeySet: Set<UserKey> = []
    /// History entries to insert, in order.
    package private(set) var history: [UserHistoryEntry] = []
    /// Events to enqueue on `lms.users.v1`, in order.
    package private(set) var events: [CloudEvent] = []
    /// Stored users erased here: their earlier history entries must lose their personal data.
    package private(set) var erasedKeys: [UserKey] = []

    package init(eventSource: String) {
        self.eventSource = eventSource
    }

    /// Adds users read from the database (with `keys` the keys that were asked for, found or not).
    package mutating func absorb(_ loaded: [UserRecord], asked keys: some Sequence<UserKey>) {
        loadedKeys.formUnion(keys)
        for record in loaded where records[record.key] == nil {
            records[record.key] = record
            storedVersions[record.key] = record.version
        }
    }

    /// The keys among `keys` that still have to be read from the database, without duplicates.
    package func keysToLoad(among keys: some Sequence<UserKey>) -> [UserKey] {
        var seen = Set<UserKey>()
        return keys.filter { !loadedKeys.contains($0) && records[$0] == nil && seen.insert($0).inserted }
    }

    /// Rows to write: each changed user once, flagged whether it has no row yet.
    package var pendingRows: [(record: UserRecord, isNew: Bool)] {
        pendingKeys.compactMap { key in records[key].map { ($0, storedVersions[key] == nil) } }
    }

    /// Call after the pending writes were saved: they become the stored state.
    package mutating func markSaved() {
        for key in pendingKeys {
            if let record = records[key] { storedVersions[key] = record.version }
        }
        pendingKeys.removeAll()
        pendingKeySet.removeAll()
        history.removeAll()
        events.removeAll()
        erasedKeys.removeAll()
    }

    /// Drops the saved state (call after ``markSaved()``, with nothing pending): a later
    /// command reads its user again, from the same transaction. Keeps an import's memory to one
    /// chunk of users instead of every user of the file.
    package mutating func forgetSaved() {
        precondition(pendingKeys.isEmpty, "forgetSaved() with unsaved changes")
        records.removeAll()
        loadedKeys.removeAll()
        storedVersions.removeAll()
    }

    // MARK: Applying commands

    /// Applies `command` to the user `key` (its record must have been absorbed if it exists).
    ///
    /// Throws ``UserCommandError`` when the command cannot apply (nothing changes then); other
    /// errors (an event that cannot be encoded) abort the whole unit of work.
    package mutating func apply(_ command: UserCommand, to key: UserKey, context: UserChangeContext) throws -> UserChangeOutcome {
        let current = records[key]
        if let incoming = context.sourceVersion, let applied = current?.sourceVersion, incoming <= applied {
            return .stale
        }
        let outcome = try transition(command, key: key, current: current, context: context)
        if let incoming = context.sourceVersion, var record = records[key], incoming > (record.sourceVersion ?? -1) {
            record.sourceVersion = incoming
            records[key] = record
            markPending(key)
        }
        return outcome
    }

    private mutating func transition(
        _ command: UserCommand, key: UserKey, current: UserRecord?, context: UserChangeContext
    ) throws -> UserChangeOutcome {
        func failure(_ kind: UserCommandError.Kind) -> UserCommandError { UserCommandError(kind: kind, key: key) }
        func valid(_ result: Result<UserProfile, ProfileValidationError>) throws -> UserProfile {
            try result.mapError { failure(.invalid($0.errors)) }.get()
        }
        switch command {
        case .create(let profile):
            guard let current else { return try create(key, profile: profile, context: context) }
            throw failure(current.status == .erased ? .erased : .alreadyExists)
        case .upsert(let profile):
            guard let current else { return try create(key, profile: profile, context: context) }
            return try replace(current, context: context) { _ in profile }
        case .patch(let patch):
            guard let current else { throw failure(.unknownUser) }
            return try replace(current, context: context) { try valid($0.applying(patch: patch)) }
        case .upsertPatch(let patch):
            guard let current else { return try create(key, profile: try valid(UserProfile.creating(fromPatch: patch)), context: context) }
            return try replace(current, context: context) { try valid($0.applying(patch: patch)) }
        case .deactivate(let reason):
            return try changeStatus(key, current: current, to: .deactivated, reason: reason, context: context)
        case .reactivate(let reason):
            return try changeStatus(key, current: current, to: .active, reason: reason, context: context)
        case .erase(let reason, let tombstoneIfUnknown):
            guard let current else {
                guard tombstoneIfUnknown else { throw failure(.unknownUser) }
                return try erase(key, current: nil, reason: reason, context: context)
            }
            guard current.status != .erased else { return .unchanged }
            return try erase(key, current: current, reason: reason, context: context)
        }
    }

    private mutating func create(_ key: UserKey, profile: UserProfile, context: UserChangeContext) throws -> UserChangeOutcome {
        let record = UserRecord(
            key: key, profile: profile, status: .active, version: 1, sourceVersion: context.sourceVersion, createdAt: context.time,
            updatedAt: context.time)
        let fields = profile.populatedFields
        let event = try upserted(record, changedFields: fields, context: context)
        // The values of a creation are the profile itself; the entry names the fields that were set.
        commit(record, event: event, action: "created", fields: fields, context)
        return .created
    }

    /// Replaces the profile of a user that is not erased by what `change` makes of it.
    private mutating func replace(
        _ current: UserRecord, context: UserChangeContext, with change: (UserProfile) throws -> UserProfile
    ) throws -> UserChangeOutcome {
        guard current.status != .erased, let old = current.profile else { throw UserCommandError(kind: .erased, key: current.key) }
        let profile = try change(old)
        let fields = profile.changedFields(since: old)
        guard !fields.isEmpty else { return .unchanged }
        var record = current
        record.profile = profile
        record.version += 1
        record.updatedAt = context.time
        let event = try upserted(record, changedFields: fields, context: context)
        let changes = fields.map { FieldChange(field: $0, from: Self.value(of: $0, in: old), to: Self.value(of: $0, in: profile)) }
        commit(record, event: event, action: "updated", fields: fields, changes: changes, context)
        return .updated
    }

    private mutating func changeStatus(
        _ key: UserKey, current: UserRecord?, to status: UserStatus, reason: String?, context: UserChangeContext
    ) throws -> UserChangeOutcome {
        guard let current else { throw UserCommandError(kind: .unknownUser, key: key) }
        guard current.status != .erased else { throw UserCommandError(kind: .erased, key: key) }
        guard current.status != status else { return .unchanged }
        var record = current
        record.status = status
        record.version += 1
        record.updatedAt = context.time
        let (type, action): (EventType, String) = status == .active ? (.lmsUserReactivated, "reactivated") : (.lmsUserDeactivated, "deactivated")
        let event = try CloudEvent.make(
            UserLifecycleEvent(tenantId: key.tenantId, userId: key.userId, reason: reason, version: record.version, occurredAt: context.time),
            type: type, source: eventSource, time: context.time, traceparent: context.traceparent)
        let changes = [FieldChange(field: "status", from: .string(current.status.rawValue), to: .string(status.rawValue))]
        commit(record, event: event, action: action, fields: ["status"], changes: changes, reason: reason, context)
        return .updated
    }

    private mutating func erase(_ key: UserKey, current: UserRecord?, reason: String?, context: UserChangeContext) throws -> UserChangeOutcome {
        let record = UserRecord(
            key: key, profile: nil, status: .erased, version: (current?.version ?? 0) + 1, sourceVersion: current?.sourceVersion,
            createdAt: current?.createdAt ?? context.time, updatedAt: context.time)
        let event = try CloudEvent.make(
            UserLifecycleEvent(tenantId: key.tenantId, userId: key.userId, reason: reason, version: record.version, occurredAt: context.time),
            type: .lmsUserErased, source: eventSource, time: context.time, traceparent: context.traceparent)
        // Entries queued earlier in this unit of work lose their personal data before they are written.
        for index in history.indices where history[index].key == key {
            history[index].changes = nil
            history[index].reason = nil
        }
        if storedVersions[key] != nil { erasedKeys.append(key) }
        let fields = (current?.profile?.populatedFields ?? []) + ["status"]
        commit(record, event: event, action: "erased", fields: fields, reason: reason, context)
        return current == nil ? .created : .updated
    }

    // MARK: Bookkeeping

    /// The `lms.user.upserted` event of `record`.
    private func upserted(_ record: UserRecord, changedFields: [String], context: UserChangeContext) throws -> CloudEvent {
        try CloudEvent.make(
            record.snapshot(changedFields: changedFields), source: eventSource, time: context.time, traceparent: context.traceparent)
    }

    /// Makes `record` the user's state, queues `event` and the history entry of the change.
    private mutating func commit(
        _ record: UserRecord, event: CloudEvent, action: String, fields: [String], changes: [FieldChange]? = nil, reason: String? = nil,
        _ context: UserChangeContext
    ) {
        records[record.key] = record
        markPending(record.key)
        events.append(event)
        history.append(
            UserHistoryEntry(
                key: record.key, version: record.version, action: action, changedFields: fields, changes: changes, reason: reason,
                actor: context.actor, origin: context.origin, correlationId: context.correlationId, occurredAt: context.time))
    }

    private mutating func markPending(_ key: UserKey) {
        if pendingKeySet.insert(key).inserted { pendingKeys.append(key) }
    }

    /// The value of a reported field (`email`, `attributes.costCenter`) in `profile`.
    private static func value(of field: String, in profile: UserProfile) -> JSONValue? {
        let prefix = "attributes."
        if field.hasPrefix(prefix) {
            return profile.attributes[String(field.dropFirst(prefix.count))].map(JSONValue.init)
        }
        return profile.value(of: field)
    }
}
