import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's enrollments (learner and instructor) for a report rebuild, each as the
/// `lms.enrollment.*` snapshot of its current version. An erased learner's enrollments are
/// re-announced under a random `erased-<uuid>` pseudonym (one per learner and resync): the
/// anonymous history stays countable and nothing in it names the person.
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
        var pseudonyms: [String: String] = [:]
        while true {
            let rows = try await enrollments.current(tenantId: tenantId, after: after, limit: pageSize, on: connection)
            guard let last = rows.last else { return }
            try await page(
                .enrollments(
                    rows.map { row in
                        var snapshot = row.record.snapshot()
                        if row.learnerErased {
                            snapshot.userId = pseudonyms[row.record.userId, default: "erased-" + UUID().uuidString.lowercased()]
                            pseudonyms[row.record.userId] = snapshot.userId
                        }
                        return snapshot
                    }
                )
            )
            after = (last.record.userId, last.seq)
        }
    }
}
