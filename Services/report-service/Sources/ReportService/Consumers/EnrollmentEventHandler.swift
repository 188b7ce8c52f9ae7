import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.enrollments.v1` to the enrollment facts (learner and instructor enrollments;
/// instructor ones decide which courses an instructor may report on).
package struct EnrollmentEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(EnrollmentSnapshot.self)
        try await readModel.applyEnrollments(batch.payloads, on: connection)
        return batch.rejections
    }
}
