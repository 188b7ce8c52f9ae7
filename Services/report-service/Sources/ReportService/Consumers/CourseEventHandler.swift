import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.courses.v1`: course titles for transcripts and the dashboard.
package struct CourseEventHandler: EventHandler {
    let readModel: ReadModelRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var courses: [CourseSettings] = []
        for consumed in events {
            do throws(EventRejection) {
                courses.append(try consumed.payload(CourseSettings.self))
            } catch {
                rejections.append(error)
            }
        }
        try await readModel.applyCourses(courses, on: connection)
        return rejections
    }
}
