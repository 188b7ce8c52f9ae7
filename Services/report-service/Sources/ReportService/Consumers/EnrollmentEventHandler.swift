import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.enrollments.v1` to the enrollment facts (learner and instructor enrollments;
/// instructor ones decide which courses an instructor may report on).
package struct EnrollmentEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var snapshots: [EnrollmentSnapshot] = []
        for consumed in events {
            do throws(EventRejection) {
                snapshots.append(try consumed.payload(EnrollmentSnapshot.self))
            } catch {
                rejections.append(error)
            }
        }
        try await readModel.applyEnrollments(snapshots, on: connection)
        return rejections
    }
}
