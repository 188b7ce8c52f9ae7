import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `enrollment_keys`, `enrollment_links` and `self_enrollment_attempts` tables.
package struct EnrollmentKeyRepository: Sendable {
    let logger: Logger

    // MARK: Keys

    package func insert(_ key: EnrollmentKeyRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO enrollment_keys (key_id, tenant_id, course_id, label, key_hash, key_hint, max_uses, uses, expires_at, revoked_at, created_by, created_at)
            VALUES (\(key.keyId), \(key.tenantId), \(key.courseId), \(key.label), \(key.keyHash), \(key.keyHint), \(key.maxUses), \(key.uses),
                    \(key.expiresAt), \(key.revokedAt), \(key.createdBy), \(key.createdAt))
            """,
            logger: logger
        )
    }

    /// Every key of the course (revoked ones too), oldest first. With `countingUses`, the `uses` of
    /// keys without a limit are counted from the attempts (an index scan over their enrollments, for
    /// listings); without it `uses` is the stored counter, which only limited keys keep (for checks).
    package func keys(of course: CourseKey, countingUses: Bool, on connection: PostgresConnection) async throws -> [EnrollmentKeyRecord] {
        let uses =
            countingUses
            ? """
            CASE WHEN k.max_uses IS NULL THEN (
                SELECT count(*) FROM self_enrollment_attempts a
                WHERE a.key_id = k.key_id AND a.outcome IN ('enrolled', 'waitlisted')) ELSE k.uses END
            """
            : "k.uses"
        let query: PostgresQuery = """
            SELECT (to_jsonb(k) || jsonb_build_object('uses', \(unescaped: uses)))::text FROM enrollment_keys k
            WHERE tenant_id = \(course.tenantId) AND course_id = \(course.courseId) ORDER BY created_at, key_id
            """
        return try await connection.jsonRows(EnrollmentKeyRecord.self, query, logger: logger)
    }

    package func key(_ keyId: UUID, tenantId: String, on connection: PostgresConnection) async throws -> EnrollmentKeyRecord? {
        try await connection.jsonRows(
            EnrollmentKeyRecord.self,
            "SELECT to_jsonb(k)::text FROM enrollment_keys k WHERE key_id = \(keyId) AND tenant_id = \(tenantId)",
            logger: logger
        ).first
    }

    /// Marks the key revoked (keeping the first revocation time).
    package func revoke(_ keyId: UUID, tenantId: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE enrollment_keys SET revoked_at = coalesce(revoked_at, \(now)) WHERE key_id = \(keyId) AND tenant_id = \(tenantId)
            """,
            logger: logger
        )
    }

    /// Counts one use of a key (or, `link`, a link) with `maxUses` unless it is used up; false when
    /// it was. Locks the row until the commit, which serialises its uses: call it last, and only for
    /// limited keys and links.
    package func consume(_ id: UUID, link: Bool, on connection: PostgresConnection) async throws -> Bool {
        let (table, column) = link ? ("enrollment_links", "link_id") : ("enrollment_keys", "key_id")
        let rows = try await connection.query(
            """
            UPDATE \(unescaped: table) SET uses = uses + 1
            WHERE \(unescaped: column) = \(id) AND (max_uses IS NULL OR uses < max_uses) RETURNING uses
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    // MARK: Links

    package func insert(_ link: EnrollmentLinkRecord, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO enrollment_links (link_id, tenant_id, course_id, token_hash, max_uses, uses, expires_at, created_by, created_at)
            VALUES (\(link.linkId), \(link.tenantId), \(link.courseId), \(link.tokenHash), \(link.maxUses), \(link.uses), \(link.expiresAt),
                    \(link.createdBy), \(link.createdAt))
            """,
            logger: logger
        )
    }

    /// The link whose token hashes to `tokenHash`, in the caller's tenant.
    package func link(tokenHash: String, tenantId: String, on connection: PostgresConnection) async throws -> EnrollmentLinkRecord? {
        try await connection.jsonRows(
            EnrollmentLinkRecord.self,
            "SELECT to_jsonb(l)::text FROM enrollment_links l WHERE token_hash = \(tokenHash) AND tenant_id = \(tenantId)",
            logger: logger
        ).first
    }

    // MARK: Attempts

    package func record(_ attempt: SelfEnrollmentAttempt, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO self_enrollment_attempts (tenant_id, course_id, user_id, key_id, link_id, outcome, at)
            VALUES (\(attempt.tenantId), \(attempt.courseId), \(attempt.userId), \(attempt.keyId), \(attempt.linkId), \(attempt.outcome), \(attempt.at))
            """,
            logger: logger
        )
    }

    /// The learner's wrong-key attempts on the course since `since`: how many, and the oldest one's time.
    package func failedKeyAttempts(
        tenantId: String,
        courseId: String,
        userId: String,
        since: Date,
        on connection: PostgresConnection
    ) async throws -> (count: Int, oldest: Date?) {
        let rows = try await connection.query(
            """
            SELECT count(*)::int, min(at) FROM self_enrollment_attempts
            WHERE tenant_id = \(tenantId) AND course_id = \(courseId) AND user_id = \(userId)
              AND outcome = \(SelfEnrollmentAttempt.invalidKey) AND at > \(since)
            """,
            logger: logger
        )
        for try await (count, oldest) in rows.decode((Int, Date?).self) { return (count, oldest) }
        return (0, nil)
    }
}
