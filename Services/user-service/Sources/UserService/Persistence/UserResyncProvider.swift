import Contracts
import PostgresNIO
import ServicePlatform

/// Re-announces a tenant's users (not the erased ones) for a report rebuild: each as the
/// `lms.user.upserted` snapshot of its current version.
package struct UserResyncProvider: ResyncProvider {
    package let users: UserRepository

    package var source: ResyncSource { .users }

    package func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        try await keysetPages(
            read: { try await users.list(tenantId: tenantId, filter: UserListFilter(), after: $0, limit: pageSize, on: connection) },
            key: \.key.userId,
            items: { .users($0.map { $0.snapshot(changedFields: []) }) },
            page: page
        )
    }
}
