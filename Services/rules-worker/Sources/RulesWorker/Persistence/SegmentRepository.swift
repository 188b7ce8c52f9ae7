import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServicePlatform

/// The `segments` table.
package struct SegmentRepository: Sendable {
    package let logger: Logger

    package func find(tenantId: String, segmentId: UUID, forUpdate: Bool = false, on connection: PostgresConnection) async throws -> Segment? {
        let lock = forUpdate ? " FOR UPDATE" : ""
        let rows = try await connection.query(
            "SELECT to_jsonb(s)::text FROM segments s WHERE tenant_id = \(tenantId) AND segment_id = \(segmentId)\(unescaped: lock)",
            logger: logger)
        return try await RowJSON.all(Segment.self, in: rows).first
    }

    /// Segments of a tenant ordered by (name, id), after the given position.
    package func list(tenantId: String, after: (name: String, id: UUID)?, limit: Int, on connection: PostgresConnection) async throws -> [Segment] {
        let rows: PostgresRowSequence
        if let after {
            rows = try await connection.query(
                """
                SELECT to_jsonb(s)::text FROM segments s
                WHERE tenant_id = \(tenantId) AND (name, segment_id) > (\(after.name), \(after.id))
                ORDER BY name, segment_id LIMIT \(limit)
                """, logger: logger)
        } else {
            rows = try await connection.query(
                "SELECT to_jsonb(s)::text FROM segments s WHERE tenant_id = \(tenantId) ORDER BY name, segment_id LIMIT \(limit)",
                logger: logger)
        }
        return try await RowJSON.all(Segment.self, in: rows)
    }

    /// Every segment of the tenants (what the consumer evaluates memberships of).
    package func all(tenantIds: [String], on connection: PostgresConnection) async throws -> [Segment] {
        guard !tenantIds.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT to_jsonb(s)::text FROM segments s WHERE tenant_id = ANY(\(tenantIds)::text[])", logger: logger)
        var segments: [Segment] = []
        for try await text in rows.decode(String.self) {
            // A stored segment this version cannot read is skipped (and logged), never a reason to
            // fail every batch of its tenant.
            do {
                segments.append(try RowJSON.decode(Segment.self, from: text))
            } catch {
                logger.error("Unreadable segment skipped", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        return segments
    }

    /// Inserts or replaces a segment. A name another segment of the tenant has is a conflict.
    package func save(_ segment: Segment, on connection: PostgresConnection) async throws {
        let criteria = try DatabaseJSON.text(segment.criteria)
        do {
            try await connection.query(
                """
                INSERT INTO segments (tenant_id, segment_id, name, description, criteria, time_relative, version, created_at, updated_at)
                VALUES (\(segment.tenantId), \(segment.segmentId), \(segment.name), \(segment.description), \(criteria)::jsonb,
                        \(segment.criteria.isTimeRelative), \(segment.version), \(segment.createdAt), \(segment.updatedAt))
                ON CONFLICT (tenant_id, segment_id) DO UPDATE SET
                    name = EXCLUDED.name, description = EXCLUDED.description, criteria = EXCLUDED.criteria,
                    time_relative = EXCLUDED.time_relative, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
                """, logger: logger)
        } catch  where PostgresErrors.sqlState(of: error) == "23505" {
            throw RulesError.duplicateName(segment.name)
        }
    }

    /// Time-relative segments not re-evaluated on `day` yet and without an open job.
    package func dueForSweep(day: Int64, on connection: PostgresConnection) async throws -> [Segment] {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(s)::text FROM segments s
            WHERE time_relative AND (swept_day IS NULL OR swept_day < \(day))
              AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = s.tenant_id AND j.target_id = s.segment_id
                              AND j.status IN ('pending', 'running'))
            """, logger: logger)
        return try await RowJSON.all(Segment.self, in: rows)
    }

    package func markSwept(tenantId: String, segmentId: UUID, day: Int64, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE segments SET swept_day = \(day) WHERE tenant_id = \(tenantId) AND segment_id = \(segmentId)", logger: logger)
    }
}
