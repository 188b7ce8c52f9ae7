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
        try await keysetPages(
            read: { try await courses.list(tenantId: tenantId, after: $0, limit: pageSize, on: connection) },
            key: \.courseId,
            items: { .courses($0) },
            page: page
        )
    }
}
