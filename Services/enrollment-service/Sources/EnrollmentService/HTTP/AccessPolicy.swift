import Contracts
import ServiceHTTP

/// Who may act on a course's enrollments: admins of the tenant, instructors holding an active
/// instructor enrollment in that course, and `service` callers whose token carries the route's scope.
struct AccessPolicy: Sendable {
    let lookup: EnrollmentLookup

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
        let teaches = try await lookup.teaches(identity.userId, course: course)
        guard teaches else { throw Problem.forbidden("Only admins and the course's instructors may manage its enrollments.") }
        return identity
    }
}
