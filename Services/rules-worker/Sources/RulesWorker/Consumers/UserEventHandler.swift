import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1` batches: updates the projection with multi-row statements, then
/// re-evaluates only the users whose state changed against the rules in effect and the segments
/// of their tenants, and enqueues the resulting commands and membership changes in the same
/// transaction. Replayed or stale events change nothing and therefore emit nothing.
package struct UserEventHandler: EventHandler {
    package let repositories: RulesRepositories
    package let clock: any ServiceClock
    package let source: String
    package let logger: Logger

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var changes: [UserKey: [UserChange]] = [:]
        var traceparents: [UserKey: String] = [:]
        for consumed in events {
            do throws(EventRejection) {
                let change: UserChange
                switch consumed.event.type {
                case .lmsUserUpserted: change = .snapshot(try consumed.payload(UserSnapshot.self))
                case .lmsUserDeactivated: change = .lifecycle(.deactivated, try consumed.payload(UserLifecycleEvent.self))
                case .lmsUserReactivated: change = .lifecycle(.active, try consumed.payload(UserLifecycleEvent.self))
                case .lmsUserErased: change = .lifecycle(.erased, try consumed.payload(UserLifecycleEvent.self))
                default:
                    throw EventRejection(eventId: consumed.event.id, errorClass: "unknown-type", message: "not a user event: \(consumed.event.type)")
                }
                changes[change.key, default: []].append(change)
                if let traceparent = consumed.event.traceparent { traceparents[change.key] = traceparent }
            } catch {
                rejections.append(error)
            }
        }
        guard !changes.isEmpty else { return rejections }
        let now = clock.now()
        let stored = try await repositories.users.lock(Array(changes.keys), on: connection)
        var transitions: [UserTransition] = []
        for key in changes.keys.sorted() {
            guard let new = UserChange.fold(stored[key], key: key, changes[key] ?? []), new != stored[key] else { continue }
            transitions.append(UserTransition(old: stored[key], new: new, traceparent: traceparents[key]))
        }
        guard !transitions.isEmpty else { return rejections }
        try await repositories.users.upsert(transitions.map(\.new), now: now, on: connection)
        let outgoing = try await IncrementalEvaluator(repositories: repositories, source: source, logger: logger)
            .apply(transitions, now: now, on: connection)
        try await Outbox.enqueue(outgoing, on: connection, logger: logger)
        return rejections
    }
}
