import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `statements` table: every learning statement once, attributed to the enrollment it counts
/// for, or unattributed until one appears.
package struct StatementRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// Serialises attribution: statements are attributed when stored (activity consumer, HTTP) and
    /// when their enrollment appears (enrollment consumer). Run concurrently, each could miss the
    /// other's uncommitted rows and leave a statement unattributed for good; so both take this
    /// transaction-scoped lock before they look. A batch holds it for one short transaction.
    package func lockAttribution(on connection: PostgresConnection) async throws {
        try await AdvisoryLocks.lock(["progress.statement-attribution"], on: connection, logger: logger)
    }

    /// A statement stored for the first time, with the enrollment it was attributed to (`nil`:
    /// no open enrollment of the learner in that course yet).
    package struct Stored: Sendable {
        package var activity: LearningActivity
        package var enrollmentId: UUID?
    }

    /// Stores the statements not seen before (by `(tenantId, statementId)`) in one statement,
    /// attributing each to the learner's latest open or completed enrollment in the course.
    /// Returns only the new ones; duplicates (also within `activities`) are dropped.
    package func insert(_ activities: [LearningActivity], receivedAt: Date, on connection: PostgresConnection) async throws -> [Stored] {
        guard !activities.isEmpty else { return [] }
        try await lockAttribution(on: connection)
        var seen = Set<String>()
        let unique = activities.filter { seen.insert("\($0.tenantId)/\($0.statementId)").inserted }
        let rows = try DatabaseJSON.encode(unique)
        let result = try await connection.query(
            """
            INSERT INTO statements (tenant_id, statement_id, user_id, course_id, module_id, verb, progress, score,
                                    duration_seconds, occurred_at, received_at, enrollment_id)
            SELECT i."tenantId", i."statementId", i."userId", i."courseId", i."moduleId", i.verb, i.progress, i.score,
                   i."durationSeconds", i."occurredAt", \(receivedAt),
                   (SELECT p.enrollment_id FROM enrollment_progress p
                    WHERE p.tenant_id = i."tenantId" AND p.user_id = i."userId" AND p.course_id = i."courseId"
                      AND p.role = 'learner' AND p.enrollment_status IN ('active', 'suspended', 'completed')
                    ORDER BY p.cycle DESC LIMIT 1)
            FROM jsonb_to_recordset(\(rows)::jsonb) AS i(
                "tenantId" text, "statementId" uuid, "userId" text, "courseId" text, "moduleId" text, verb text,
                progress double precision, score double precision, "durationSeconds" integer, "occurredAt" timestamptz)
            ON CONFLICT (tenant_id, statement_id) DO NOTHING
            RETURNING tenant_id, statement_id, enrollment_id
            """,
            logger: logger
        )
        var attribution: [String: UUID?] = [:]
        for try await (tenant, statement, enrollment) in result.decode((String, UUID, UUID?).self) {
            attribution["\(tenant)/\(statement)"] = .some(enrollment)
        }
        return unique.compactMap { activity in
            guard let enrollment = attribution["\(activity.tenantId)/\(activity.statementId)"] else { return nil }
            return Stored(activity: activity, enrollmentId: enrollment)
        }
    }

    /// Attributes the unattributed statements of each record's learner and course to that record,
    /// in one statement; returns them by enrollment. Records should be open learner enrollments,
    /// at most one per learner and course (the latest cycle).
    package func attachUnattributed(to records: [ProgressRecord], on connection: PostgresConnection) async throws -> [UUID: [LearningActivity]] {
        guard !records.isEmpty else { return [:] }
        try await lockAttribution(on: connection)
        let ids = records.map(\.enrollmentId)
        let tenants = records.map(\.tenantId)
        let users = records.map(\.userId)
        let courses = records.map(\.courseId)
        let result = try await connection.query(
            """
            UPDATE statements s SET enrollment_id = k.enrollment_id
            FROM unnest(\(ids)::uuid[], \(tenants)::text[], \(users)::text[], \(courses)::text[])
                 AS k(enrollment_id, tenant_id, user_id, course_id)
            WHERE s.enrollment_id IS NULL AND s.tenant_id = k.tenant_id AND s.user_id = k.user_id AND s.course_id = k.course_id
            RETURNING k.enrollment_id,
                      jsonb_build_object('tenantId', s.tenant_id, 'statementId', s.statement_id, 'userId', s.user_id,
                                         'courseId', s.course_id, 'moduleId', s.module_id, 'verb', s.verb,
                                         'progress', s.progress, 'score', s.score, 'durationSeconds', s.duration_seconds,
                                         'occurredAt', s.occurred_at)::text
            """,
            logger: logger
        )
        var attached: [UUID: [LearningActivity]] = [:]
        for try await (enrollment, text) in result.decode((UUID, String).self) {
            attached[enrollment, default: []].append(try DatabaseJSON.decode(LearningActivity.self, from: text))
        }
        return attached
    }

    /// Unattributed statements of a tenant, by course.
    package func unattributedCounts(tenantId: String, on connection: PostgresConnection) async throws -> [(courseId: String, count: Int)] {
        let rows = try await connection.query(
            """
            SELECT course_id, count(*)::int FROM statements
            WHERE tenant_id = \(tenantId) AND enrollment_id IS NULL
            GROUP BY course_id ORDER BY course_id
            """,
            logger: logger
        )
        var counts: [(courseId: String, count: Int)] = []
        for try await (course, count) in rows.decode((String, Int).self) { counts.append((course, count)) }
        return counts
    }
}
