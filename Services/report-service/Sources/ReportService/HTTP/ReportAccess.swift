import Contracts
import ServiceHTTP

/// Who may read which report: admins everything of their tenant; instructors the reports of
/// courses where they hold an active instructor enrollment (the shared ``CourseAccess``, which
/// keeps `service` callers out of every report); learners their own transcript.
///
/// An admin asking for a course or user the tenant does not know gets 404. An instructor asking
/// for a course it does not teach gets 403 whether or not the course exists, so the answer does
/// not reveal which course ids exist.
struct ReportAccess: Sendable {
    let reader: ReportReader
    let courses: CourseAccess

    init(reader: ReportReader) {
        self.reader = reader
        courses = CourseAccess { userId, course in try await reader.teaches(userId, course) }
    }

    /// The caller, allowed to read reports of the course.
    @discardableResult
    func requireCourseReader(_ context: AppRequestContext, course courseId: String) async throws -> Identity {
        let identity = try await courses.requireCourse(
            courseId,
            context,
            serviceScope: nil,
            forbidden: "Instructors see reports of the courses they teach only."
        )
        guard try await reader.courseExists(CourseKey(tenantId: identity.tenantId, courseId: courseId)) else {
            throw Problem.notFound("Course \(courseId)")
        }
        return identity
    }

    /// The caller, allowed to read the reports of `courseId`, or of the whole tenant (admins only) without one.
    func requireReader(_ context: AppRequestContext, course courseId: String?) async throws -> Identity {
        guard let courseId else { return try context.require(anyOf: .admin) }
        return try await requireCourseReader(context, course: courseId)
    }

    /// The caller, allowed to read the learner's transcript (admin, or the learner itself).
    @discardableResult
    func requireTranscriptReader(_ context: AppRequestContext, user userId: String) async throws -> Identity {
        let identity = try context.requireIdentity()
        guard identity.has(.admin) || identity.userId == userId else {
            throw Problem.forbidden("Only admins and the learner itself see a transcript.")
        }
        let exists = try await reader.userExists(tenantId: identity.tenantId, userId: userId)
        guard exists || identity.userId == userId else { throw Problem.notFound("User \(userId)") }
        return identity
    }
}
