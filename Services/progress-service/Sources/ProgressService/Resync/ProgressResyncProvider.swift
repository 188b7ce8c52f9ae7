import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's learner progress for a report rebuild, each record as the
/// `lms.progress.*` snapshot of its current version (an erased learner's under its pseudonym).
struct ProgressResyncProvider: ResyncProvider {
    let store: ProgressStore

    var source: ResyncSource { .progress }

    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        var after: ProgressRecord?
        while true {
            let records = try await store.current(tenantId: tenantId, after: after, limit: pageSize, on: connection)
            guard let last = records.last else { return }
            try await page(.progress(records.map(\.snapshot)))
            after = last
        }
    }
}
