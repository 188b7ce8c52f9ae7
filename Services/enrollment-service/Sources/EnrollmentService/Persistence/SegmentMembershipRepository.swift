import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `segment_memberships` projection of `lms.segment-memberships.v1`, which enforces a course's
/// `selfEnrollment.restrictToSegmentId`. Stale events (lower versions) change nothing.
package struct SegmentMembershipRepository: Sendable {
    let logger: Logger

    /// Applies `lms.segment.membership-changed` events (the highest version per pair wins).
    package func applyMemberships(_ changes: [SegmentMembershipChanged], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        let newest = changes.newestByVersion(key: { "\($0.tenantId)/\($0.segmentId)/\($0.userId)" }, version: \.version)
        try await connection.query(
            """
            INSERT INTO segment_memberships AS m (tenant_id, segment_id, user_id, member, version, changed_at)
            SELECT * FROM unnest(
                \(newest.map(\.tenantId))::text[], \(newest.map(\.segmentId))::uuid[], \(newest.map(\.userId))::text[],
                \(newest.map(\.member))::boolean[], \(newest.map(\.version))::bigint[], \(newest.map(\.changedAt))::timestamptz[])
            ON CONFLICT (tenant_id, segment_id, user_id) DO UPDATE SET
                member = EXCLUDED.member, version = EXCLUDED.version, changed_at = EXCLUDED.changed_at
            WHERE m.version < EXCLUDED.version
            """,
            logger: logger
        )
    }

    package func isMember(_ user: UserKey, of segmentId: UUID, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT member FROM segment_memberships
            WHERE tenant_id = \(user.tenantId) AND segment_id = \(segmentId) AND user_id = \(user.userId)
            """,
            logger: logger
        )
        for try await member in rows.decode(Bool.self) { return member }
        return false
    }

    /// Forgets an erased user's segment memberships.
    package func eraseMemberships(of users: some Collection<UserKey>, on connection: PostgresConnection) async throws {
        guard !users.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM segment_memberships m
            USING unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
            WHERE m.tenant_id = k.tenant_id AND m.user_id = k.user_id
            """,
            logger: logger
        )
    }
}
