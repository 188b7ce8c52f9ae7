import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `course_policies` table: what completes each course, from `lms.course.upserted`.
package struct CoursePolicyRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// Serialises policy changes against the passes that read a policy. A course consumer changing
    /// a policy and another consumer inserting or updating a record of that course concurrently
    /// would each miss the other's uncommitted work under READ COMMITTED (the record evaluated
    /// under the old policy, the recompute not seeing the new record), so the record would never
    /// complete. A policy change takes this lock exclusively before it writes; every pass takes
    /// it shared (``lockForReading(coursesOf:on:)``) before it locks records. Keys in one order.
    package func lockForChange(_ settings: [CourseSettings], on connection: PostgresConnection) async throws {
        try await AdvisoryLocks.lock(settings.map { Self.lockKey($0.tenantId, $0.courseId) }, on: connection, logger: logger)
    }

    /// Takes the course lock of ``lockForChange(_:on:)`` in shared mode for the courses of these
    /// enrollments (passes of different consumers do not wait for each other), with the keys read
    /// from the records in the same statement.
    package func lockForReading(coursesOf enrollments: some Collection<UUID>, on connection: PostgresConnection) async throws {
        guard !enrollments.isEmpty else { return }
        let key = AdvisoryLocks.hash(Self.lockKey(sql: "tenant_id", "course_id"))
        try await connection.query(
            """
            SELECT count(\(unescaped: AdvisoryLocks.Mode.shared.function)(k)) FROM (
                SELECT DISTINCT \(unescaped: key) AS k FROM enrollment_progress
                WHERE enrollment_id = ANY(\(Array(enrollments))::uuid[]) ORDER BY k
            ) AS courses
            """,
            logger: logger
        )
    }

    /// The advisory lock key of a course's policy.
    static func lockKey(_ tenantId: String, _ courseId: String) -> String {
        "progress.course/\(tenantId)/\(courseId)"
    }

    /// ``lockKey(_:_:)`` as SQL over two text columns.
    static func lockKey(sql tenant: String, _ course: String) -> String {
        "'progress.course/' || \(tenant) || '/' || \(course)"
    }

    /// Stores the newest settings of each course (older versions change nothing) and returns the
    /// courses whose completion policy changed.
    package func upsert(_ settings: [CourseSettings], on connection: PostgresConnection) async throws -> [CourseKey] {
        let newest = settings.newestByVersion(key: { CourseKey(tenantId: $0.tenantId, courseId: $0.courseId) }, version: \.version)
        guard !newest.isEmpty else { return [] }
        let rows = try DatabaseJSON.encode(newest)
        let result = try await connection.query(
            """
            WITH input AS (
                SELECT i."tenantId" AS tenant_id, i."courseId" AS course_id, i.modules, i."passingScore" AS passing_score, i.version
                FROM jsonb_to_recordset(\(rows)::jsonb)
                    AS i("tenantId" text, "courseId" text, modules text[], "passingScore" double precision, version bigint)
            ), previous AS (
                SELECT c.tenant_id, c.course_id, c.modules, c.passing_score FROM course_policies c
                JOIN input i ON c.tenant_id = i.tenant_id AND c.course_id = i.course_id
            ), written AS (
                INSERT INTO course_policies (tenant_id, course_id, modules, passing_score, version)
                SELECT tenant_id, course_id, modules, passing_score, version FROM input
                ON CONFLICT (tenant_id, course_id) DO UPDATE
                    SET modules = excluded.modules, passing_score = excluded.passing_score, version = excluded.version
                    WHERE course_policies.version < excluded.version
                RETURNING tenant_id, course_id, modules, passing_score
            )
            SELECT w.tenant_id, w.course_id FROM written w
            LEFT JOIN previous p ON p.tenant_id = w.tenant_id AND p.course_id = w.course_id
            WHERE p.course_id IS NULL OR p.modules IS DISTINCT FROM w.modules OR p.passing_score IS DISTINCT FROM w.passing_score
            """,
            logger: logger
        )
        var changed: [CourseKey] = []
        for try await (tenant, course) in result.decode((String, String).self) {
            changed.append(CourseKey(tenantId: tenant, courseId: course))
        }
        return changed.sorted()
    }

    /// The policies of the courses that have one.
    package func policies(of courses: Set<CourseKey>, on connection: PostgresConnection) async throws -> [CourseKey: CoursePolicy] {
        guard !courses.isEmpty else { return [:] }
        let tenants = courses.map(\.tenantId)
        let ids = courses.map(\.courseId)
        let rows = try await connection.query(
            """
            SELECT c.tenant_id, c.course_id, c.modules, c.passing_score FROM course_policies c
            JOIN unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, course_id)
              ON c.tenant_id = k.tenant_id AND c.course_id = k.course_id
            """,
            logger: logger
        )
        var policies: [CourseKey: CoursePolicy] = [:]
        for try await (tenant, course, modules, passing) in rows.decode((String, String, [String], Double?).self) {
            policies[CourseKey(tenantId: tenant, courseId: course)] = CoursePolicy(modules: modules, passingScore: passing)
        }
        return policies
    }
}
