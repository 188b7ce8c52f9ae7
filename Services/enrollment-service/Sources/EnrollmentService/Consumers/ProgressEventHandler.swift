import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.progress.v1`: `lms.progress.completed` completes the enrollment (from `active` or
/// `suspended`), which frees its seat. Other progress events need nothing from this service.
package struct ProgressEventHandler: EventHandler {
    let workflow: EnrollmentWorkflow
    let logger: Logger

    static let actor = "progress-service"

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var actions: [LifecycleAction] = []
        for consumed in events where consumed.event.type == .progressCompleted {
            do throws(EventRejection) {
                let progress = try consumed.payload(ProgressSnapshot.self)
                actions.append(
                    LifecycleAction(
                        tenantId: progress.tenantId,
                        enrollmentId: progress.enrollmentId,
                        command: .complete(at: progress.lastActivityAt ?? consumed.event.time),
                        actor: Self.actor,
                        reason: "course completed (\(Int(progress.percent.rounded()))%)"
                    )
                )
            } catch {
                rejections.append(error)
            }
        }
        let outcomes = try await workflow.apply(actions, on: connection)
        let unknown = outcomes.filter { $0 == .notFound }.count
        if unknown > 0 {
            logger.warning("Completions for unknown enrollments ignored", metadata: ["count": "\(unknown)"])
        }
        return rejections
    }
}
