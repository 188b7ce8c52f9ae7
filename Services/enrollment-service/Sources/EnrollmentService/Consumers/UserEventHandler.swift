import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.users.v1`: keeps the user projection and reacts to lifecycle events.
///
/// - `lms.user.deactivated` suspends the user's active enrollments (cause `user-deactivated`).
/// - `lms.user.reactivated` restores exactly those; enrollments suspended for another reason stay suspended.
/// - `lms.user.erased` withdraws the user's open enrollments, wipes stored profile answers and
///   forgets the profile and segment memberships.
///
/// A lifecycle event whose version is not above the last one seen for the user changes nothing.
package struct UserEventHandler: EventHandler {
    let workflow: EnrollmentWorkflow
    let enrollments: EnrollmentRepository
    let users: UserProjectionRepository
    let memberships: SegmentMembershipRepository
    let clock: any ServiceClock
    let logger: Logger

    static let actor = "user-service"

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = UserEvents(events)
        let now = clock.now()
        try await users.upsert(batch.snapshots, now: now, on: connection)
        for round in BatchRounds.split(batch.lifecycle, by: { UserKey(tenantId: $0.event.tenantId, userId: $0.event.userId) }) {
            try await react(to: round, now: now, on: connection)
        }
        return batch.rejections
    }

    /// One lifecycle event per user.
    private func react(to round: [(event: UserLifecycleEvent, status: UserStatus)], now: Date, on connection: PostgresConnection) async throws {
        let fresh = try await users.applyLifecycle(round, now: now, on: connection)
        guard !fresh.isEmpty else { return }
        var changes: [UserKey: (status: UserStatus, reason: String?)] = [:]
        for (event, status) in round {
            let user = UserKey(tenantId: event.tenantId, userId: event.userId)
            if fresh.contains(user) { changes[user] = (status, event.reason) }
        }
        let open = try await enrollments.ofUsers(changes.keys, statuses: [.waitlisted, .active, .suspended], on: connection)
        var actions: [LifecycleAction] = []
        for record in open {
            guard let change = changes[UserKey(tenantId: record.tenantId, userId: record.userId)] else { continue }
            let command: LifecycleCommand
            let reason: String
            switch change.status {
            case .deactivated:
                guard record.status == .active else { continue }
                command = .suspend(.userDeactivated)
                reason = change.reason.map { "user deactivated: \($0)" } ?? "user deactivated"
            case .active:
                guard record.status == .suspended, record.suspensionCause == .userDeactivated else { continue }
                command = .restore(.userDeactivated)
                reason = change.reason.map { "user reactivated: \($0)" } ?? "user reactivated"
            case .erased:
                command = .withdraw
                reason = "user erased"
            }
            actions.append(
                LifecycleAction(tenantId: record.tenantId, enrollmentId: record.enrollmentId, command: command, actor: Self.actor, reason: reason)
            )
        }
        _ = try await workflow.apply(actions, on: connection)
        let erased = changes.filter { $0.value.status == .erased }.map(\.key)
        try await enrollments.eraseProfileAnswers(of: erased, on: connection)
        try await memberships.eraseMemberships(of: erased, on: connection)
    }
}
