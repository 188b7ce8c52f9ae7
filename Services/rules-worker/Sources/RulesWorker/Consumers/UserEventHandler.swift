import Contracts
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
        let batch = UserEvents(events)
        let rejections = batch.rejections
        var changes: [UserKey: [UserEvents.Change]] = [:]
        var traceparents: [UserKey: String] = [:]
        for change in batch.changes {
            let key = UserKey(tenantId: change.payload.tenantId, userId: change.payload.userId)
            changes[key, default: []].append(change.payload)
            if let traceparent = change.traceparent { traceparents[key] = traceparent }
        }
        guard !changes.isEmpty else { return rejections }
        let now = clock.now()
        let stored = try await repositories.users.lock(Array(changes.keys), on: connection)
        var transitions: [UserTransition] = []
        for key in changes.keys.sorted() {
            guard let new = ProjectedUser.folding(stored[key], key: key, changes[key] ?? []), new != stored[key] else { continue }
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
