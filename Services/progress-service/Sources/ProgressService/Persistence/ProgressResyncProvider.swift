import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's learner progress for a report rebuild, each record as the
/// `lms.progress.*` snapshot of its current version (an erased learner's under its pseudonym).
struct ProgressResyncProvider: ResyncProvider {
    let progress: ProgressRepository

    var source: ResyncSource { .progress }

    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        try await keysetPages(
            read: { try await progress.current(tenantId: tenantId, after: $0, limit: pageSize, on: connection) },
            key: { $0 },
            items: { .progress($0.map(\.snapshot)) },
            page: page
        )
    }
}
