import Contracts
import Hummingbird
import ServiceHTTP
import ServicePlatform

/// `PUT/GET /v1/courses/{courseId}`, `GET /v1/courses`: course settings, published as `lms.course.upserted`.
struct CourseController: Sendable {
    let catalog: CourseCatalog
    let clock: any ServiceClock

    func register(on router: Router<AppRequestContext>) {
        router.put("/v1/courses/:courseId", use: put)
        router.get("/v1/courses/:courseId", use: get)
        router.get("/v1/courses", use: list)
    }

    /// Creates (201) or replaces (200) a course's settings. Raising the capacity fills the new seats from the waitlist.
    @Sendable func put(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CourseView> {
        let identity = try context.require(anyOf: .admin)
        let courseId = try context.parameters.require("courseId")
        let input = try await request.decode(as: CourseInput.self, context: context)
        let settings = try input.settings(tenantId: identity.tenantId, courseId: courseId, now: clock.now())
        let (stored, created) = try await catalog.put(settings, traceparent: context.traceparent)
        return EditedResponse(status: created ? .created : .ok, response: CourseView(settings: stored))
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> CourseView {
        let identity = try context.requireIdentity()
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let found = try await catalog.find(CourseKey(tenantId: identity.tenantId, courseId: courseId))
        guard let found else { throw Problem.notFound("Course \(courseId)") }
        return CourseView(settings: found)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Page<CourseView> {
        let identity = try context.require(anyOf: .admin, orServiceWith: .enrollmentsRead)
        let page = try PageRequest(request: request)
        let rows = try await catalog.list(tenantId: identity.tenantId, after: page.cursor?.values.first, limit: page.fetchLimit)
        return Page(fetched: rows.map(CourseView.init), request: page) { Cursor(values: [$0.settings.courseId]) }
    }
}
