import Contracts

/// The one course-access policy: admins, and `service` callers whose token carries the route's
/// scope, see every course of their tenant; an instructor the courses it teaches; a learner only
/// its own records. Who teaches what is the service's data: it supplies `teaches`.
///
/// `serviceScope` is per route: `nil` keeps `service` callers out whatever their scopes (enrollment
/// keys and links, every report route).
public struct CourseAccess: Sendable {
    /// Whether `userId` teaches `course` (an active instructor enrollment in it).
    public typealias Teaches = @Sendable (_ userId: String, _ course: CourseKey) async throws -> Bool

    private let teaches: Teaches

    public init(teaches: @escaping Teaches) {
        self.teaches = teaches
    }

    /// Admins, and `service` callers with `serviceScope`: every course of their tenant.
    public func seesEveryCourse(_ identity: Identity, serviceScope: Scope?) -> Bool {
        identity.has(.admin) || serviceScope.map(identity.isService(with:)) == true
    }

    /// Whether `identity` may read or manage `course` as a whole (all its learners): every-course
    /// callers and the course's instructors. A course of another tenant is never visible.
    public func mayAccess(_ course: CourseKey, identity: Identity, serviceScope: Scope?) async throws -> Bool {
        guard course.tenantId == identity.tenantId else { return false }
        if seesEveryCourse(identity, serviceScope: serviceScope) { return true }
        guard identity.has(.instructor) else { return false }
        return try await teaches(identity.userId, course)
    }

    /// Whether `identity` may see a learner's record in `course`: as ``mayAccess(_:identity:serviceScope:)``,
    /// and the learner itself.
    public func maySee(learner userId: String, in course: CourseKey, identity: Identity, serviceScope: Scope?) async throws -> Bool {
        guard course.tenantId == identity.tenantId else { return false }
        if identity.userId == userId { return true }
        return try await mayAccess(course, identity: identity, serviceScope: serviceScope)
    }

    /// The caller of a request on a course of its tenant, when it may access the course as a
    /// whole. Else 401 (no token), 403 for a caller with none of the roles (admin, instructor, the
    /// `service` scope), 403 with `forbidden` for an instructor who does not teach the course.
    @discardableResult
    public func requireCourse(
        _ courseId: String,
        _ context: some PlatformRequestContext,
        serviceScope: Scope?,
        forbidden: String
    ) async throws -> Identity {
        let identity: Identity
        if let serviceScope {
            identity = try context.require(anyOf: .admin, .instructor, orServiceWith: serviceScope)
        } else {
            identity = try context.require(anyOf: .admin, .instructor)
        }
        let course = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        guard try await mayAccess(course, identity: identity, serviceScope: serviceScope) else { throw Problem.forbidden(forbidden) }
        return identity
    }
}
