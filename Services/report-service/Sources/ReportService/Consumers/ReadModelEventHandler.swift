import Contracts
import PostgresNIO
import ServicePlatform

/// Applies a snapshot topic to the read model: `lms.courses.v1` (course titles for transcripts and
/// the dashboard), `lms.enrollments.v1` (learner and instructor enrollments; instructor ones decide
/// which courses an instructor may report on) or `lms.progress.v1` (the facts' progress columns).
package struct ReadModelEventHandler<Payload: EventPayload>: EventHandler {
    let apply: @Sendable ([Payload], PostgresConnection) async throws -> Void

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(Payload.self)
        try await apply(batch.payloads, connection)
        return batch.rejections
    }
}
