import Contracts
import Logging
import PostgresNIO
import ServicePlatform

/// Courses: their settings, published as `lms.course.upserted`.
package struct CourseCatalog: Sendable {
    let database: ServiceDatabase
    let courses: CourseRepository
    let workflow: EnrollmentWorkflow
    let eventSource: String
    let logger: Logger

    /// Creates or replaces a course's settings and announces them; raising the capacity fills the
    /// new seats from the waitlist. Returns the stored settings and whether the course is new.
    package func put(_ settings: CourseSettings, traceparent: String?) async throws -> (settings: CourseSettings, created: Bool) {
        try await database.transaction { connection in
            let (stored, created) = try await courses.upsert(settings, on: connection)
            let event = try OutboxEvent(stored, source: eventSource, time: stored.updatedAt, traceparent: traceparent)
            try await Outbox.enqueue([event], on: connection, logger: logger)
            if !created {
                try await workflow.fillSeats(
                    of: CourseKey(tenantId: settings.tenantId, courseId: settings.courseId),
                    on: connection,
                    traceparent: traceparent
                )
            }
            return (stored, created)
        }
    }

    package func find(_ course: CourseKey) async throws -> CourseSettings? {
        try await database.client.withConnection { connection in
            try await courses.find(course, on: connection)
        }
    }

    /// A page of a tenant's courses in `courseId` order, after `after`.
    package func list(tenantId: String, after: String?, limit: Int) async throws -> [CourseSettings] {
        try await database.client.withConnection { connection in
            try await courses.list(tenantId: tenantId, after: after, limit: limit, on: connection)
        }
    }
}
