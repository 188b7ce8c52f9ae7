import Contracts
import Logging
import PostgresNIO
import ServiceHTTP
import ServicePlatform

/// Who may act on a course's enrollments: admins of the tenant, and instructors holding an active
/// instructor enrollment in that course.
struct AccessPolicy: Sendable {
    let database: ServiceDatabase
    let enrollments: EnrollmentRepository

    /// The caller when it may manage the course's enrollments, else 403.
    @discardableResult
    func requireCourseManager(_ context: AppRequestContext, course courseId: String) async throws -> Identity {
        let identity = try context.require(anyOf: .admin, .instructor, .service)
        if identity.has(.admin) || identity.has(.service) { return identity }
        let course = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        let teaches = try await database.client.withConnection { connection in
            try await enrollments.isInstructor(identity.userId, of: course, on: connection)
        }
        guard teaches else { throw Problem.forbidden("Only admins and the course's instructors may manage its enrollments.") }
        return identity
    }

    /// Whether `identity` may see this enrollment: admins and services, the learner itself, the course's instructors.
    func maySee(_ record: EnrollmentRecord, identity: Identity, on connection: PostgresConnection) async throws -> Bool {
        if identity.has(.admin) || identity.has(.service) || record.userId == identity.userId { return true }
        guard identity.has(.instructor) else { return false }
        return try await enrollments.isInstructor(identity.userId, of: record.course, on: connection)
    }
}
