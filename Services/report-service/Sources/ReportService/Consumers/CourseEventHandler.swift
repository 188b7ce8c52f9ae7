import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.courses.v1`: course titles for transcripts and the dashboard.
package struct CourseEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(CourseSettings.self)
        try await readModel.applyCourses(batch.payloads, on: connection)
        return batch.rejections
    }
}
