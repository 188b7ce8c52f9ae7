import Contracts
import Logging
import PostgresNIO
import ServiceHTTP
import ServicePlatform

/// Who may act on a course's enrollments: admins of the tenant, instructors holding an active
/// instructor enrollment in that course, and `service` callers whose token carries the route's scope.
struct AccessPolicy: Sendable {
    let database: ServiceDatabase
    let enrollments: EnrollmentRepository

    /// The caller when it may manage the course's enrollments, else 403.
    ///
    /// - Parameter serviceScope: the scope that lets a `service` caller in; `nil` keeps the route
    ///   to admins and instructors (enrollment keys and links).
    @discardableResult
    func requireCourseManager(_ context: AppRequestContext, course courseId: String, serviceScope: Scope? = nil) async throws -> Identity {
        let identity: Identity
        if let serviceScope {
            identity = try context.require(anyOf: .admin, .instructor, orServiceWith: serviceScope)
            if identity.isService(with: serviceScope) { return identity }
        } else {
            identity = try context.require(anyOf: .admin, .instructor)
        }
        if identity.has(.admin) { return identity }
        let course = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        let teaches = try await database.client.withConnection { connection in
            try await enrollments.isInstructor(identity.userId, of: course, on: connection)
        }
        guard teaches else { throw Problem.forbidden("Only admins and the course's instructors may manage its enrollments.") }
        return identity
    }

    /// Whether `identity` may see this enrollment: admins, services with `serviceScope`, the learner
    /// itself, the course's instructors.
    func maySee(_ record: EnrollmentRecord, identity: Identity, serviceScope: Scope, on connection: PostgresConnection) async throws -> Bool {
        if identity.has(.admin) || identity.isService(with: serviceScope) || record.userId == identity.userId { return true }
        guard identity.has(.instructor) else { return false }
        return try await enrollments.isInstructor(identity.userId, of: record.course, on: connection)
    }
}
