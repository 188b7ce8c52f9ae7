import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `enrollment_progress` table. Every write is one statement whatever the number of rows.
package struct ProgressRepository: Sendable {
    let logger: Logger

    /// The smallest UUID, where a keyset page without a cursor starts.
    static let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    package init(logger: Logger) {
        self.logger = logger
    }

    /// Inserts records for enrollments not seen before; existing rows are left alone. Returns the
    /// records it inserted, as given: the insert locks them for the rest of the transaction, so a
    /// pass can use them without reading them back (``ProgressEngine/Changes/inserted``).
    package func insertNew(_ records: [ProgressRecord], on connection: PostgresConnection) async throws -> [UUID: ProgressRecord] {
        guard !records.isEmpty else { return [:] }
        let rows = try DatabaseJSON.encode(records)
        let inserted = try await connection.query(
            """
            INSERT INTO enrollment_progress
            SELECT * FROM jsonb_populate_recordset(NULL::enrollment_progress, \(rows)::jsonb)
            ON CONFLICT (enrollment_id) DO NOTHING
            RETURNING enrollment_id
            """,
            logger: logger
        )
        let byId = Dictionary(records.map { ($0.enrollmentId, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [UUID: ProgressRecord] = [:]
        for try await id in inserted.decode(UUID.self) { result[id] = byId[id] }
        return result
    }

    /// The records of `ids`, locked for the rest of the transaction.
    package func lock(_ ids: some Collection<UUID>, on connection: PostgresConnection) async throws -> [UUID: ProgressRecord] {
        guard !ids.isEmpty else { return [:] }
        let list = Array(ids)
        let rows = try await connection.query(
            """
            SELECT to_jsonb(p)::text FROM enrollment_progress p
            WHERE p.enrollment_id = ANY(\(list)::uuid[])
            ORDER BY p.enrollment_id
            FOR UPDATE
            """,
            logger: logger
        )
        return Dictionary(uniqueKeysWithValues: try await decode(rows).map { ($0.enrollmentId, $0) })
    }

    /// Writes `records` back (every column but the key).
    package func save(_ records: [ProgressRecord], on connection: PostgresConnection) async throws {
        guard !records.isEmpty else { return }
        let rows = try DatabaseJSON.encode(records)
        try await connection.query(
            """
            UPDATE enrollment_progress p SET
                user_id = r.user_id, enrollment_status = r.enrollment_status, enrollment_version = r.enrollment_version,
                due_at = r.due_at, started_modules = r.started_modules, completed_modules = r.completed_modules,
                max_progress = r.max_progress, best_score = r.best_score, failed = r.failed,
                time_spent_seconds = r.time_spent_seconds, statement_count = r.statement_count,
                last_activity_at = r.last_activity_at, percent = r.percent, status = r.status,
                completed_at = r.completed_at, completed_late = r.completed_late, overdue = r.overdue,
                overdue_notified_due_at = r.overdue_notified_due_at, version = r.version, updated_at = r.updated_at
            FROM jsonb_populate_recordset(NULL::enrollment_progress, \(rows)::jsonb) AS r
            WHERE p.enrollment_id = r.enrollment_id
            """,
            logger: logger
        )
    }

    /// Learner enrollments whose due date has passed without completion and that are not yet
    /// flagged overdue, oldest due date first.
    package func overdueCandidates(now: Date, limit: Int, on connection: PostgresConnection) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            SELECT enrollment_id FROM enrollment_progress
            WHERE due_at <= \(now) AND completed_at IS NULL AND NOT overdue AND due_at IS NOT NULL AND role = 'learner'
              AND enrollment_status IN ('active', 'suspended')
            ORDER BY due_at, enrollment_id
            LIMIT \(limit)
            FOR UPDATE SKIP LOCKED
            """,
            logger: logger
        )
        return try await rows.decode(UUID.self).reduce(into: []) { $0.append($1) }
    }

    /// Incomplete learner enrollments of the courses, after `after` in id order (for paging through
    /// a course whose completion policy changed).
    package func incomplete(
        of courses: [CourseKey],
        after: UUID?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [UUID] {
        let tenants = courses.map(\.tenantId)
        let ids = courses.map(\.courseId)
        let start = after ?? Self.zero
        let rows = try await connection.query(
            """
            SELECT p.enrollment_id FROM enrollment_progress p
            JOIN unnest(\(tenants)::text[], \(ids)::text[]) AS c(tenant_id, course_id)
              ON p.tenant_id = c.tenant_id AND p.course_id = c.course_id
            WHERE p.completed_at IS NULL AND p.role = 'learner' AND p.enrollment_id > \(start)
            ORDER BY p.enrollment_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        return try await rows.decode(UUID.self).reduce(into: []) { $0.append($1) }
    }

    /// Replaces the user id of erased users with a pseudonym in every record and statement, so
    /// course aggregates survive while nothing links them to the person any more.
    package func erase(_ users: [UserKey], on connection: PostgresConnection) async throws {
        guard !users.isEmpty else { return }
        let tenants = users.map(\.tenantId)
        let ids = users.map(\.userId)
        let pseudonyms = users.map { _ in "erased-" + UUID().lowercasedString }
        try await connection.query(
            """
            WITH erased AS (
                SELECT * FROM unnest(\(tenants)::text[], \(ids)::text[], \(pseudonyms)::text[]) AS e(tenant_id, user_id, pseudonym)
            ), records AS (
                UPDATE enrollment_progress p SET user_id = e.pseudonym
                FROM erased e WHERE p.tenant_id = e.tenant_id AND p.user_id = e.user_id
            )
            UPDATE statements s SET user_id = e.pseudonym
            FROM erased e WHERE s.tenant_id = e.tenant_id AND s.user_id = e.user_id
            """,
            logger: logger
        )
    }

    // MARK: Queries

    package func find(_ id: UUID, tenantId: String, on connection: PostgresConnection) async throws -> ProgressRecord? {
        let rows = try await connection.query(
            "SELECT to_jsonb(p)::text FROM enrollment_progress p WHERE p.enrollment_id = \(id) AND p.tenant_id = \(tenantId)",
            logger: logger
        )
        return try await decode(rows).first
    }

    /// A learner's records across courses and cycles, ordered by course, cycle and id.
    package func ofUser(
        _ user: UserKey,
        courses: [String]?,
        after cursor: [String]?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ProgressRecord] {
        let afterCourse = cursor?.first ?? ""
        let afterCycle = cursor.flatMap { $0.count > 1 ? Int($0[1]) : nil } ?? 0
        let afterId = cursor.flatMap { $0.count > 2 ? UUID(uuidString: $0[2]) : nil } ?? Self.zero
        let rows = try await connection.query(
            """
            SELECT to_jsonb(p)::text FROM enrollment_progress p
            WHERE p.tenant_id = \(user.tenantId) AND p.user_id = \(user.userId) AND p.role = 'learner'
              AND (\(courses == nil) OR p.course_id = ANY(\(courses ?? [])::text[]))
              AND (p.course_id, p.cycle, p.enrollment_id) > (\(afterCourse), \(afterCycle), \(afterId))
            ORDER BY p.course_id, p.cycle, p.enrollment_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// A page of a tenant's learner records in (user, course, id) order after `after`, for a resync
    /// (an erased learner's records carry its `erased-<uuid>` pseudonym already).
    package func current(
        tenantId: String,
        after: ProgressRecord?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ProgressRecord] {
        let rows = try await connection.query(
            """
            SELECT to_jsonb(p)::text FROM enrollment_progress p
            WHERE p.tenant_id = \(tenantId) AND p.role = 'learner'
              AND (p.user_id, p.course_id, p.enrollment_id)
                  > (\(after?.userId ?? ""), \(after?.courseId ?? ""), \(after?.enrollmentId ?? Self.zero))
            ORDER BY p.user_id, p.course_id, p.enrollment_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// A course's learner records, optionally of one status and/or overdue flag, in id order.
    package func ofCourse(
        _ course: CourseKey,
        status: ProgressStatus?,
        overdue: Bool?,
        after: UUID?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [ProgressRecord] {
        let start = after ?? Self.zero
        let rows = try await connection.query(
            """
            SELECT to_jsonb(p)::text FROM enrollment_progress p
            WHERE p.tenant_id = \(course.tenantId) AND p.course_id = \(course.courseId) AND p.role = 'learner'
              AND (\(status?.rawValue)::text IS NULL OR p.status = \(status?.rawValue))
              AND (\(overdue)::boolean IS NULL OR p.overdue = \(overdue))
              AND p.enrollment_id > \(start)
            ORDER BY p.enrollment_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// Whether `userId` holds an active instructor enrollment in the course.
    package func isInstructor(_ userId: String, of course: CourseKey, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM enrollment_progress
            WHERE tenant_id = \(course.tenantId) AND course_id = \(course.courseId) AND user_id = \(userId)
              AND role = 'instructor' AND enrollment_status = 'active'
            LIMIT 1
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// The courses in which `userId` teaches (active instructor enrollments).
    package func coursesTaught(by userId: String, tenantId: String, on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            """
            SELECT DISTINCT course_id FROM enrollment_progress
            WHERE tenant_id = \(tenantId) AND user_id = \(userId) AND role = 'instructor' AND enrollment_status = 'active'
            """,
            logger: logger
        )
        return try await rows.decode(String.self).reduce(into: []) { $0.append($1) }
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [ProgressRecord] {
        var records: [ProgressRecord] = []
        for try await text in rows.decode(String.self) { records.append(try DatabaseJSON.decode(ProgressRecord.self, from: text)) }
        return records
    }
}
