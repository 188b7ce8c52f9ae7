import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `jobs` table: bulk evaluations with stored progress.
package struct JobRepository: Sendable {
    package let logger: Logger

    /// Opens a job for a rule or segment. Open jobs of the same target are superseded: the new one
    /// evaluates every user again with the target's current definition.
    package func create(
        tenantId: String, kind: Job.Kind, targetId: UUID, targetVersion: Int64, reason: String, enrollNew: Bool,
        enrollIgnored: Bool = false, now: Date, on connection: PostgresConnection
    ) async throws -> Job {
        try await connection.query(
            """
            UPDATE jobs SET status = 'superseded', updated_at = \(now), finished_at = \(now)
            WHERE tenant_id = \(tenantId) AND target_id = \(targetId) AND status IN ('pending', 'running')
            """, logger: logger)
        let total = try await CriteriaUserRepository(logger: logger).count(tenantId: tenantId, on: connection)
        let job = Job(
            jobId: UUID(), tenantId: tenantId, kind: kind, targetId: targetId, targetVersion: targetVersion, reason: reason,
            enrollNew: enrollNew, enrollIgnored: enrollIgnored, status: .pending, cursor: nil, total: total, processed: 0, counts: JobCounts(),
            createdAt: now,
            startedAt: nil, updatedAt: now, finishedAt: nil)
        try await connection.query(
            """
            INSERT INTO jobs (job_id, tenant_id, kind, target_id, target_version, reason, enroll_new, enroll_ignored, status, total,
                              created_at, updated_at)
            VALUES (\(job.jobId), \(tenantId), \(kind.rawValue), \(targetId), \(targetVersion), \(reason), \(enrollNew), \(enrollIgnored), 'pending',
                    \(total), \(now), \(now))
            """, logger: logger)
        return job
    }

    /// The oldest open job (in creation order) no other worker is stepping, locked for this transaction.
    package func claimNext(on connection: PostgresConnection) async throws -> Job? {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(j)::text FROM jobs j WHERE status IN ('pending', 'running')
            ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED
            """, logger: logger)
        return try await RowJSON.all(Job.self, in: rows).first
    }

    /// The next page of a tenant's users after `cursor`: its last user id and size (0 at the end).
    /// The cursor is a range condition of the primary key (an `IS NULL OR` around it made every page
    /// scan the tenant's users from the first one: quadratic in a backfill).
    package func page(
        tenantId: String, after cursor: String?, limit: Int, on connection: PostgresConnection
    ) async throws -> (last: String?, count: Int) {
        let rows = try await connection.query(
            """
            SELECT max(user_id), count(*)::int8 FROM (
                SELECT user_id FROM users WHERE tenant_id = \(tenantId) AND user_id > COALESCE(\(cursor)::text, '')
                ORDER BY user_id LIMIT \(limit)
            ) page
            """, logger: logger)
        for try await (last, count) in rows.decode((String?, Int64).self) { return (last, Int(count)) }
        return (nil, 0)
    }

    /// Stores a job's progress (cursor, counts, status and times).
    package func save(_ job: Job, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE jobs SET status = \(job.status.rawValue), cursor = \(job.cursor), processed = \(job.processed),
                counts = \(try DatabaseJSON.text(job.counts))::jsonb, started_at = \(job.startedAt), updated_at = \(job.updatedAt),
                finished_at = \(job.finishedAt)
            WHERE job_id = \(job.jobId)
            """, logger: logger)
    }

    /// The most recent job of a rule or segment.
    package func latest(tenantId: String, targetId: UUID, on connection: PostgresConnection) async throws -> Job? {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(j)::text FROM jobs j WHERE tenant_id = \(tenantId) AND target_id = \(targetId)
            ORDER BY seq DESC LIMIT 1
            """, logger: logger)
        return try await RowJSON.all(Job.self, in: rows).first
    }
}
