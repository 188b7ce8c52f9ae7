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
        var pseudonyms: [String: String] = [:]
        try await keysetPages(
            read: { try await enrollments.current(tenantId: tenantId, after: $0, limit: pageSize, on: connection) },
            key: { (userId: $0.record.userId, seq: $0.seq) },
            items: { rows in
                .enrollments(
                    rows.map { row in
                        var snapshot = row.record.snapshot()
                        if row.learnerErased {
                            snapshot.userId = pseudonyms[row.record.userId, default: "erased-" + UUID().lowercasedString]
                            pseudonyms[row.record.userId] = snapshot.userId
                        }
                        return snapshot
                    }
                )
            },
            page: page
        )
    }
}
