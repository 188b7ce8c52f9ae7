import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's enrollments (learner and instructor; none of erased learners) for a
/// report rebuild, each as the `lms.enrollment.*` snapshot of its current version.
struct EnrollmentResyncProvider: ResyncProvider {
    let enrollments: EnrollmentRepository

    var source: ResyncSource { .enrollments }

    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        var after: (userId: String, seq: Int64)?
        while true {
            let rows = try await enrollments.current(tenantId: tenantId, after: after, limit: pageSize, on: connection)
            guard let last = rows.last else { return }
            try await page(.enrollments(rows.map { $0.record.snapshot() }))
            after = (last.record.userId, last.seq)
        }
    }
}
