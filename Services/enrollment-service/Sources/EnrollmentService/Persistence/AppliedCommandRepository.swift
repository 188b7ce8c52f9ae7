import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `applied_commands` table: the idempotency keys of the rule commands already applied.
package struct AppliedCommandRepository: Sendable {
    let logger: Logger

    /// A command's key: its tenant and `idempotencyKey`.
    package struct Key: Hashable, Sendable {
        package var tenantId: String
        package var idempotencyKey: String
    }

    /// Records the keys (with their event types); returns those that were new.
    package func claim(_ keys: [(key: Key, type: EventType)], at now: Date, on connection: PostgresConnection) async throws -> Set<Key> {
        guard !keys.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO applied_commands (tenant_id, idempotency_key, event_type, applied_at)
            SELECT * , \(now) FROM unnest(\(keys.map(\.key.tenantId))::text[], \(keys.map(\.key.idempotencyKey))::text[],
                                \(keys.map(\.type.rawValue))::text[])
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, idempotency_key
            """,
            logger: logger
        )
        var claimed = Set<Key>()
        for try await (tenant, key) in rows.decode((String, String).self) { claimed.insert(Key(tenantId: tenant, idempotencyKey: key)) }
        return claimed
    }

    /// Forgets the keys, so a replay of their commands applies again.
    package func release(_ keys: [Key], on connection: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM applied_commands a
            USING unnest(\(keys.map(\.tenantId))::text[], \(keys.map(\.idempotencyKey))::text[]) AS k(tenant_id, key)
            WHERE a.tenant_id = k.tenant_id AND a.idempotency_key = k.key
            """,
            logger: logger
        )
    }
}
