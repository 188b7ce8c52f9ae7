import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's users (not the erased ones) for a report rebuild: each as the
/// `lms.user.upserted` snapshot of its current version.
struct UserResyncProvider: ResyncProvider {
    let store: UserStore

    var source: ResyncSource { .users }

    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        var after: String?
        while true {
            let users = try await store.current(tenantId: tenantId, after: after, limit: pageSize, on: connection)
            guard let last = users.last else { return }
            try await page(.users(users.map { $0.snapshot(changedFields: []) }))
            after = last.key.userId
        }
    }
}
