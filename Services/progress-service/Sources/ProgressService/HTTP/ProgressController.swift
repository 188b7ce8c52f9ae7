import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// Progress queries: one enrollment, one learner across courses and cycles, one course's
/// learners (by status and overdue flag). Every answer is the `lms.progress.*` payload.
///
/// Who may read what (``CourseAccess`` with `enrollments:read` as the service scope): admins and
/// `enrollments:read` services everything in their tenant; a learner its own records; an
/// instructor the records of courses where it holds an active instructor enrollment.
struct ProgressController: Sendable {
    let queries: ProgressQueries
    let access: CourseAccess

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/enrollments/:id/progress", use: enrollment)
        router.get("/v1/users/:userId/progress", use: user)
        router.get("/v1/courses/:courseId/progress", use: course)
    }

    @Sendable func enrollment(_ request: Request, context: AppRequestContext) async throws -> ProgressSnapshot {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("Enrollment \(text)") }
        guard let record = try await queries.record(id, tenantId: identity.tenantId),
            try await access.maySee(
                learner: record.userId,
                in: CourseKey(tenantId: record.tenantId, courseId: record.courseId),
                identity: identity,
                serviceScope: .enrollmentsRead
            ),
            record.role == .learner
        else { throw Problem.notFound("Enrollment \(text)") }
        return record.snapshot
    }

    @Sendable func user(_ request: Request, context: AppRequestContext) async throws -> Page<ProgressSnapshot> {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let userId = try InputRules.pathIdentifier(try context.parameters.require("userId"), resource: "User")
        let page = try PageRequest(request: request)
        let courses = try await visibleCourses(of: userId, identity: identity)
        let records = try await queries.ofUser(
            UserKey(tenantId: identity.tenantId, userId: userId),
            courses: courses,
            after: page.cursor?.values,
            limit: page.fetchLimit
        )
        return Page(fetched: records.map(\.snapshot), request: page) {
            Cursor(values: [$0.courseId, String($0.cycle), $0.enrollmentId.lowercasedString])
        }
    }

    @Sendable func course(_ request: Request, context: AppRequestContext) async throws -> Page<ProgressSnapshot> {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let page = try PageRequest(request: request)
        let query = request.uri.queryParameters
        var errors = ValidationErrors()
        var status: ProgressStatus?
        if let text = query["status"], !text.isEmpty {
            status = ProgressStatus(rawValue: String(text))
            errors.check(status != nil, field: "status", message: "must be one of not_started, in_progress, completed, failed")
        }
        var overdue: Bool?
        if let text = query["overdue"], !text.isEmpty {
            overdue = Bool(String(text))
            errors.check(overdue != nil, field: "overdue", message: "must be true or false")
        }
        guard errors.isEmpty else { throw Problem.badRequest("Invalid query parameters.", errors: errors.errors) }
        let after = try page.cursor.map { cursor throws(Problem) -> UUID in
            guard let text = cursor.values.first, let id = UUID(uuidString: text) else {
                throw Problem.badRequest(
                    "Invalid paging parameters.",
                    errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")]
                )
            }
            return id
        }
        let course = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        guard try await access.mayAccess(course, identity: identity, serviceScope: .enrollmentsRead) else {
            throw Problem.forbidden("Only admins and the course's instructors may read its learners' progress.")
        }
        let records = try await queries.ofCourse(course, status: status, overdue: overdue, after: after, limit: page.fetchLimit)
        return Page(fetched: records.map(\.snapshot), request: page) { Cursor(values: [$0.enrollmentId.lowercasedString]) }
    }

    /// The courses whose records of another user `identity` may list: `nil` for all, else the
    /// courses it teaches; 403 when it may see none.
    private func visibleCourses(of userId: String, identity: Identity) async throws -> [String]? {
        if access.seesEveryCourse(identity, serviceScope: .enrollmentsRead) || identity.userId == userId { return nil }
        if identity.has(.instructor) {
            let taught = try await queries.coursesTaught(by: identity.userId, tenantId: identity.tenantId)
            if !taught.isEmpty { return taught }
        }
        throw Problem.forbidden("A learner may read only its own progress.")
    }
}
