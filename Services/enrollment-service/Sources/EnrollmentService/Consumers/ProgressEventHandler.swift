import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.progress.v1`: `lms.progress.completed` completes the enrollment (from `active` or
/// `suspended`), which frees its seat; any progress beyond `not_started` marks the enrollment as
/// started (`progress_started_at`), which a rule's `withdrawIfNotStarted` policy respects.
package struct ProgressEventHandler: EventHandler {
    let workflow: EnrollmentWorkflow
    let enrollments: EnrollmentRepository
    let clock: any ServiceClock
    let logger: Logger

    static let actor = "progress-service"

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(ProgressSnapshot.self)
        var actions: [LifecycleAction] = []
        var started: [(tenantId: String, enrollmentId: UUID)] = []
        for item in batch.items {
            let progress = item.payload
            if progress.status != .notStarted { started.append((progress.tenantId, progress.enrollmentId)) }
            guard item.event.event.type == .progressCompleted else { continue }
            actions.append(
                LifecycleAction(
                    tenantId: progress.tenantId,
                    enrollmentId: progress.enrollmentId,
                    command: .complete(at: progress.lastActivityAt ?? item.event.event.time),
                    actor: Self.actor,
                    reason: "course completed (\(Int(progress.percent.rounded()))%)"
                )
            )
        }
        try await enrollments.markStarted(started, at: clock.now(), on: connection)
        let outcomes = try await workflow.apply(actions, on: connection)
        let unknown = outcomes.filter { $0 == .notFound }.count
        if unknown > 0 {
            logger.warning("Completions for unknown enrollments ignored", metadata: ["count": "\(unknown)"])
        }
        return batch.rejections
    }
}
