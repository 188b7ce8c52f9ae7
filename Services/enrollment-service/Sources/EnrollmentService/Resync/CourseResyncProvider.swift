import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's courses for a report rebuild, as `lms.course.upserted` snapshots.
struct CourseResyncProvider: ResyncProvider {
    let courses: CourseRepository

    var source: ResyncSource { .courses }

    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        var after: String?
        while true {
            let settings = try await courses.list(tenantId: tenantId, after: after, limit: pageSize, on: connection)
            guard let last = settings.last else { return }
            try await page(.courses(settings))
            after = last.courseId
        }
    }
}
