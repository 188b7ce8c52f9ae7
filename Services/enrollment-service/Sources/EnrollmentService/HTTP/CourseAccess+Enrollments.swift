import Contracts
import ServiceHTTP

/// The shared course-access policy as enrollment's routes use it (`teaches` is an active
/// instructor enrollment in the course).
extension CourseAccess {
    /// The caller when it may manage the course's enrollments, else 403: admins of the tenant,
    /// instructors of the course, and `service` callers whose token carries `serviceScope` (`nil`
    /// keeps the route to admins and instructors: enrollment keys and links).
    @discardableResult
    func requireManager(_ courseId: String, _ context: AppRequestContext, serviceScope: Scope? = nil) async throws -> Identity {
        try await requireCourse(
            courseId,
            context,
            serviceScope: serviceScope,
            forbidden: "Only admins and the course's instructors may manage its enrollments."
        )
    }

    /// The caller as the use cases see it: admins and services with `serviceScope` manage every course.
    func caller(_ identity: Identity, serviceScope: Scope?) -> Caller {
        Caller(
            tenantId: identity.tenantId,
            userId: identity.userId,
            managesEveryCourse: seesEveryCourse(identity, serviceScope: serviceScope),
            isInstructor: identity.has(.instructor)
        )
    }
}
