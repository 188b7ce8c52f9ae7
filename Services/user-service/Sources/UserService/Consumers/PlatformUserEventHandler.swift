import Contracts
import Metrics
import PostgresNIO
import ServicePlatform

/// Applies `platform.user-events.v1` batches inside the consumer runtime's transaction.
///
/// The whole batch costs a fixed number of statements: one read (row-locking) of every user the
/// batch mentions, then one upsert, one history insert and one outbox insert — never a query per
/// event. Events apply in order per user in memory:
/// - `created`: creates the user, or replaces the profile of an existing one (idempotent create).
/// - `updated`: JSON Merge Patch of a known user's profile.
/// - `deactivated` / `reactivated`: status changes of a known user.
/// - `erased`: wipes the profile and history values, keeps a tombstone (also for an unknown user,
///   so a late `created` cannot bring the data back).
///
/// An event whose `sourceVersion` is not above the user's applied one is stale: ignored and counted.
/// Refused events (unknown user, erased user, invalid result) go to the dead-letter queue.
package struct PlatformUserEventHandler: EventHandler {
    package let directory: UserDirectory

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode { consumed throws(EventRejection) in try Self.command(for: consumed) }
        var rejections = batch.rejections
        var changes = UserChangeSet(eventSource: directory.eventSource)
        try await directory.users.load(batch.payloads.map { $0.key }, into: &changes, on: connection)
        let now = directory.clock.now()
        for item in batch.items {
            let (key, command, sourceVersion) = item.payload
            let context = UserChangeContext(
                actor: item.event.event.source, origin: .event, correlationId: item.event.event.id, sourceVersion: sourceVersion,
                traceparent: item.traceparent, time: now)
            do {
                let outcome = try changes.apply(command, to: key, context: context)
                Self.count(outcome, type: item.event.event.type)
            } catch let error as UserCommandError {
                rejections.append(EventRejection(eventId: item.event.event.id, errorClass: error.errorClass, message: error.description))
            }
        }
        try await directory.save(&changes, on: connection)
        return rejections
    }

    /// Counts what each applied event did, and the stale ones (`sourceVersion` not above the applied one) that were ignored.
    private static func count(_ outcome: UserChangeOutcome, type: EventType) {
        if outcome == .stale {
            Counter(label: "user_events_stale_total", dimensions: [("type", type.rawValue)]).increment()
        }
        Counter(label: "user_events_applied_total", dimensions: [("type", type.rawValue), ("outcome", outcome.rawValue)]).increment()
    }

    /// The command an event asks for, with its user and source version.
    private static func command(for consumed: ConsumedEvent) throws(EventRejection) -> (key: UserKey, command: UserCommand, sourceVersion: Int64?) {
        switch consumed.event.type {
        case .userCreated:
            let payload = try consumed.payload(PlatformUserCreated.self)
            return (UserKey(tenantId: payload.tenantId, userId: payload.userId), .upsert(UserProfile(payload)), payload.sourceVersion)
        case .userUpdated:
            let payload = try consumed.payload(PlatformUserUpdated.self)
            guard case .object(let changes) = payload.changes else {
                throw EventRejection(eventId: consumed.event.id, errorClass: "invalid-profile", message: "changes must be a JSON object")
            }
            return (UserKey(tenantId: payload.tenantId, userId: payload.userId), .patch(changes), payload.sourceVersion)
        case .userDeactivated, .userReactivated, .userErased:
            let payload = try consumed.payload(PlatformUserLifecycle.self)
            let key = UserKey(tenantId: payload.tenantId, userId: payload.userId)
            let command: UserCommand =
                switch consumed.event.type {
                case .userDeactivated: .deactivate(reason: payload.reason)
                case .userReactivated: .reactivate(reason: payload.reason)
                default: .erase(reason: payload.reason, tombstoneIfUnknown: true)
                }
            return (key, command, payload.sourceVersion)
        default:
            throw EventRejection(
                eventId: consumed.event.id, errorClass: "unknown-type", message: "user-service does not handle \(consumed.event.type)")
        }
    }
}
