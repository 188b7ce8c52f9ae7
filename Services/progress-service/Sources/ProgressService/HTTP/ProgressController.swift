import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// Progress queries: one enrollment, one learner across courses and cycles, one course's
/// learners (by status and overdue flag). Every answer is the `lms.progress.*` payload.
struct ProgressController: Sendable {
    let queries: ProgressQueries
    let access: ProgressAccess

    func register(on router: Router<AppRequestContext>) {
        router.get("/v1/enrollments/:id/progress", use: enrollment)
        router.get("/v1/users/:userId/progress", use: user)
        router.get("/v1/courses/:courseId/progress", use: course)
    }

    @Sendable func enrollment(_ request: Request, context: AppRequestContext) async throws -> ProgressSnapshot {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("Enrollment \(text)") }
        guard let record = try await queries.record(id, tenantId: identity.tenantId), try await access.maySee(record, identity: identity),
            record.role == .learner
        else { throw Problem.notFound("Enrollment \(text)") }
        return record.snapshot
    }

    @Sendable func user(_ request: Request, context: AppRequestContext) async throws -> Page<ProgressSnapshot> {
        let identity = try context.requireIdentity(serviceScope: .enrollmentsRead)
        let userId = try InputRules.pathIdentifier(try context.parameters.require("userId"), resource: "User")
        let page = try PageRequest(request: request)
        let courses = try await access.visibleCourses(of: userId, identity: identity)
        let records = try await queries.ofUser(
            UserKey(tenantId: identity.tenantId, userId: userId),
            courses: courses,
            after: page.cursor?.values,
            limit: page.fetchLimit
        )
        return Page(fetched: records.map(\.snapshot), request: page) {
            Cursor(values: [$0.courseId, String($0.cycle), $0.enrollmentId.uuidString.lowercased()])
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
        _ = try await access.requireCourseReader(identity, course: course)
        let records = try await queries.ofCourse(course, status: status, overdue: overdue, after: after, limit: page.fetchLimit)
        return Page(fetched: records.map(\.snapshot), request: page) { Cursor(values: [$0.enrollmentId.uuidString.lowercased()]) }
    }
}
