import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Computes reports from the read model with set-based `GROUP BY`s over just the keys asked for.
/// The publisher and the HTTP API use the same queries, so a topic snapshot and an API answer
/// taken at the same time agree.
///
/// Definitions (documented in the service README):
/// - counted enrollments are learner enrollments whose enrollment event has arrived;
/// - overdue: status `active` and (progress reported it overdue, or `dueAt` is before `asOf`);
/// - course summary: every cycle is an enrollment; `completionRate` = completed / enrolled;
///   `averagePercent` counts a completed enrollment as 100;
/// - compliance: each learner's latest cycle of the course; `assigned` excludes withdrawn ones.
package struct ReportRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// The overdue predicate over `enrollment_facts f` at bind `asOf`.
    /// Never NULL: an enrollment without a due date is not overdue (unless progress says so).
    static let overdue = "(f.status = 'active' AND (f.progress_overdue OR coalesce(f.due_at < $1, false)))"

    /// Course summaries of these `(tenant, course)` keys (a key without enrollments gets zeros).
    package func summaries(_ keys: [CourseKey], asOf: Date, on connection: PostgresConnection) async throws -> [CourseSummaryReport] {
        guard !keys.isEmpty else { return [] }
        let statusColumns = EnrollmentStatus.allCases.map { "count(*) FILTER (WHERE f.status = '\($0.rawValue)')::bigint" }
        let sourceColumns = EnrollmentSource.allCases.map { "count(*) FILTER (WHERE f.source = '\($0.rawValue)')::bigint" }
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(keys.map(\.tenantId))
        binds.append(keys.map(\.courseId))
        let sql = """
            SELECT k.tenant_id, k.course_id, count(f.enrollment_id)::bigint,
                   array[\(statusColumns.joined(separator: ", "))],
                   array[\(sourceColumns.joined(separator: ", "))],
                   coalesce(avg(CASE WHEN f.status = 'completed' THEN 100 ELSE f.percent END), 0)::float8,
                   count(*) FILTER (WHERE \(Self.overdue))::bigint,
                   (percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(0, extract(epoch FROM
                        coalesce(f.completed_at, f.progress_completed_at) - f.enrolled_at) / 86400))
                        FILTER (WHERE f.status = 'completed' AND coalesce(f.completed_at, f.progress_completed_at) IS NOT NULL))::float8
            FROM (SELECT DISTINCT * FROM unnest($2::text[], $3::text[])) AS k(tenant_id, course_id)
            LEFT JOIN enrollment_facts f
              ON f.tenant_id = k.tenant_id AND f.course_id = k.course_id AND f.role = 'learner' AND f.status IS NOT NULL
            GROUP BY k.tenant_id, k.course_id
            ORDER BY k.tenant_id, k.course_id
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var reports: [CourseSummaryReport] = []
        let version = Self.version(asOf)
        for try await (tenant, course, enrolled, statuses, sources, average, overdue, median)
            in rows.decode((String, String, Int, [Int], [Int], Double, Int, Double?).self)
        {
            let completed = statuses[EnrollmentStatus.allCases.firstIndex(of: .completed)!]
            reports.append(
                CourseSummaryReport(
                    tenantId: tenant,
                    courseId: course,
                    asOf: asOf,
                    enrolled: enrolled,
                    byStatus: Dictionary(uniqueKeysWithValues: zip(EnrollmentStatus.allCases.map(\.rawValue), statuses)),
                    bySource: Dictionary(uniqueKeysWithValues: zip(EnrollmentSource.allCases.map(\.rawValue), sources)),
                    completionRate: Self.rate(completed, of: enrolled),
                    averagePercent: min(100, max(0, average)),
                    overdue: overdue,
                    medianDaysToComplete: median.map { ($0 * 1000).rounded() / 1000 },
                    version: version
                )
            )
        }
        return reports
    }

    /// Compliance rows of these keys (a group without learners gets zeros). The three dimensions
    /// are counted in one pass over the learners (`GROUPING SETS`), not by tripling the rows: a
    /// course of 50,000 learners took half the time.
    package func compliance(_ keys: [ComplianceKey], asOf: Date, on connection: PostgresConnection) async throws -> [ComplianceReport] {
        guard !keys.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(keys.map(\.tenantId))
        binds.append(keys.map(\.courseId))
        binds.append(keys.map(\.dimension.rawValue))
        binds.append(keys.map(\.value))
        let sql = """
            WITH k AS (SELECT DISTINCT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS k(tenant_id, course_id, dimension, value)),
            counted AS (
                SELECT c.tenant_id, c.course_id,
                       CASE WHEN GROUPING(g.department) = 0 THEN 'department'
                            WHEN GROUPING(g.location) = 0 THEN 'location' ELSE 'jobRole' END AS dimension,
                       CASE WHEN GROUPING(g.department) = 0 THEN g.department
                            WHEN GROUPING(g.location) = 0 THEN g.location ELSE g.job_role END AS value,
                       count(*) FILTER (WHERE g.status <> 'withdrawn')::bigint AS assigned,
                       count(*) FILTER (WHERE g.status = 'completed')::bigint AS completed,
                       count(*) FILTER (WHERE g.overdue)::bigint AS overdue
                FROM (SELECT DISTINCT tenant_id, course_id FROM k) AS c
                CROSS JOIN LATERAL (
                    SELECT f.status, \(Self.overdue) AS overdue,
                           coalesce(u.department, '') AS department, coalesce(u.location, '') AS location,
                           coalesce(u.job_role, '') AS job_role
                    FROM (SELECT DISTINCT ON (f.user_id) f.status, f.progress_overdue, f.due_at, f.user_id
                          FROM enrollment_facts f
                          WHERE f.tenant_id = c.tenant_id AND f.course_id = c.course_id AND f.role = 'learner' AND f.status IS NOT NULL
                          ORDER BY f.user_id DESC, f.cycle DESC) AS f
                    LEFT JOIN report_users u ON u.tenant_id = c.tenant_id AND u.user_id = f.user_id
                ) AS g
                GROUP BY GROUPING SETS ((c.tenant_id, c.course_id, g.department), (c.tenant_id, c.course_id, g.location),
                                        (c.tenant_id, c.course_id, g.job_role))
            )
            SELECT k.tenant_id, k.course_id, k.dimension, k.value,
                   coalesce(n.assigned, 0), coalesce(n.completed, 0), coalesce(n.overdue, 0)
            FROM k LEFT JOIN counted n
              ON n.tenant_id = k.tenant_id AND n.course_id = k.course_id AND n.dimension = k.dimension AND n.value = k.value
            ORDER BY 1, 2, 3, 4
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var reports: [ComplianceReport] = []
        let version = Self.version(asOf)
        for try await (tenant, course, dimension, value, assigned, completed, overdue)
            in rows.decode((String, String, String, String, Int, Int, Int).self)
        {
            guard let dimension = ComplianceDimension(rawValue: dimension) else { continue }
            reports.append(
                ComplianceReport(
                    tenantId: tenant,
                    courseId: course,
                    dimension: dimension,
                    value: value,
                    asOf: asOf,
                    assigned: assigned,
                    completed: completed,
                    overdue: overdue,
                    complianceRate: Self.rate(completed, of: assigned),
                    version: version
                )
            )
        }
        return reports
    }

    /// The compliance groups that exist now for a tenant's course (or all its courses) by `dimension`.
    package func complianceGroups(
        tenantId: String,
        courseId: String?,
        dimension: ComplianceDimension,
        on connection: PostgresConnection
    ) async throws -> [ComplianceKey] {
        let column = Self.column(dimension)
        var binds = PostgresBindings()
        binds.append(tenantId)
        binds.append(courseId)
        let sql = """
            SELECT DISTINCT f.course_id, coalesce(u.\(column), '')
            FROM enrollment_facts f LEFT JOIN report_users u ON u.tenant_id = f.tenant_id AND u.user_id = f.user_id
            WHERE f.tenant_id = $1 AND ($2::text IS NULL OR f.course_id = $2) AND f.role = 'learner' AND f.status IS NOT NULL
            ORDER BY 1, 2
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var keys: [ComplianceKey] = []
        for try await (course, value) in rows.decode((String, String).self) {
            keys.append(ComplianceKey(tenantId: tenantId, courseId: course, dimension: dimension, value: value))
        }
        return keys
    }

    /// The courses of a tenant that have enrollments or a known title.
    package func courses(tenantId: String, on connection: PostgresConnection) async throws -> [CourseKey] {
        let rows = try await connection.query(
            """
            SELECT course_id FROM enrollment_facts WHERE tenant_id = \(tenantId) AND role = 'learner' AND status IS NOT NULL
            UNION SELECT course_id FROM report_courses WHERE tenant_id = \(tenantId)
            ORDER BY 1
            """,
            logger: logger
        )
        var keys: [CourseKey] = []
        for try await course in rows.decode(String.self) { keys.append(CourseKey(tenantId: tenantId, courseId: course)) }
        return keys
    }

    /// The titles of the tenant's courses that a course event named, by course id.
    package func courseTitles(tenantId: String, on connection: PostgresConnection) async throws -> [String: String] {
        let rows = try await connection.query("SELECT course_id, title FROM report_courses WHERE tenant_id = \(tenantId)", logger: logger)
        var titles: [String: String] = [:]
        for try await (course, title) in rows.decode((String, String).self) { titles[course] = title }
        return titles
    }

    /// Whether the tenant knows the course (an enrollment or a course event).
    package func courseExists(_ key: CourseKey, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM enrollment_facts WHERE tenant_id = \(key.tenantId) AND course_id = \(key.courseId) AND status IS NOT NULL)
                OR EXISTS (SELECT 1 FROM report_courses WHERE tenant_id = \(key.tenantId) AND course_id = \(key.courseId))
            """,
            logger: logger
        )
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    /// Whether `userId` holds an active instructor enrollment in the course (as enrollment- and
    /// progress-service require: a suspended, waitlisted or completed instructor reads no reports).
    package func teaches(_ userId: String, _ key: CourseKey, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM enrollment_facts
                           WHERE tenant_id = \(key.tenantId) AND course_id = \(key.courseId) AND user_id = \(userId)
                             AND role = 'instructor' AND status = 'active')
            """,
            logger: logger
        )
        for try await teaches in rows.decode(Bool.self) { return teaches }
        return false
    }

    /// Whether the tenant knows the user (a profile or an enrollment).
    package func userExists(tenantId: String, userId: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM report_users WHERE tenant_id = \(tenantId) AND user_id = \(userId))
                OR EXISTS (SELECT 1 FROM enrollment_facts WHERE tenant_id = \(tenantId) AND user_id = \(userId) AND status IS NOT NULL)
            """,
            logger: logger
        )
        for try await exists in rows.decode(Bool.self) { return exists }
        return false
    }

    /// A learner's transcript: every learner enrollment, all courses and cycles.
    package func transcript(tenantId: String, userId: String, asOf: Date, on connection: PostgresConnection) async throws -> [TranscriptEntry] {
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(tenantId)
        binds.append(userId)
        let sql = """
            SELECT jsonb_build_object(
                       'enrollmentId', f.enrollment_id, 'courseId', f.course_id, 'courseTitle', c.title, 'cycle', f.cycle,
                       'status', f.status, 'source', f.source, 'enrolledAt', f.enrolled_at, 'dueAt', f.due_at,
                       'completedAt', CASE WHEN f.status = 'completed' THEN coalesce(f.completed_at, f.progress_completed_at) END,
                       'percent', CASE WHEN f.status = 'completed' THEN 100 ELSE f.percent END, 'score', f.score,
                       'overdue', \(Self.overdue))::text
            FROM enrollment_facts f LEFT JOIN report_courses c ON c.tenant_id = f.tenant_id AND c.course_id = f.course_id
            WHERE f.tenant_id = $2 AND f.user_id = $3 AND f.role = 'learner' AND f.status IS NOT NULL
            ORDER BY f.course_id, f.cycle
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var entries: [TranscriptEntry] = []
        for try await text in rows.decode(String.self) { entries.append(try DatabaseJSON.decode(TranscriptEntry.self, from: text)) }
        return entries
    }

    /// The overdue learner enrollments of a tenant (optionally one course, one department), in
    /// `(courseId, userId, cycle)` order after `after`; `limit` nil returns them all. The rows
    /// stream from the database as `each` consumes them.
    package func overdue(
        tenantId: String,
        courseId: String?,
        department: String?,
        asOf: Date,
        after: (String, String, Int)?,
        limit: Int?,
        on client: PostgresClient,
        _ each: (OverdueEntry) async throws -> Void
    ) async throws {
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(tenantId)
        binds.append(courseId)
        binds.append(department)
        binds.append(after?.0)
        binds.append(after?.1)
        binds.append(after?.2)
        binds.append(limit)
        let sql = """
            SELECT jsonb_build_object(
                       'tenantId', f.tenant_id, 'enrollmentId', f.enrollment_id, 'courseId', f.course_id, 'userId', f.user_id,
                       'cycle', f.cycle, 'department', u.department, 'location', u.location, 'jobRole', u.job_role,
                       'enrolledAt', f.enrolled_at, 'dueAt', f.due_at, 'percent', f.percent)::text
            FROM enrollment_facts f LEFT JOIN report_users u ON u.tenant_id = f.tenant_id AND u.user_id = f.user_id
            WHERE f.tenant_id = $2 AND f.role = 'learner' AND \(Self.overdue)
              AND ($3::text IS NULL OR f.course_id = $3)
              AND ($4::text IS NULL OR coalesce(u.department, '') = $4)
              AND ($5::text IS NULL OR (f.course_id, f.user_id, f.cycle) > ($5, $6, $7::int))
            ORDER BY f.course_id, f.user_id, f.cycle
            LIMIT $8::int
            """
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await text in rows.decode(String.self) {
            var entry = try DatabaseJSON.decode(OverdueEntry.self, from: text)
            entry.daysOverdue = entry.dueAt.map { max(0, Int(asOf.timeIntervalSince($0) / 86_400)) }
            try await each(entry)
        }
    }

    /// Compliance of a tenant across all courses by department (each learner's latest cycle per course).
    package func complianceByDepartment(tenantId: String, asOf: Date, on connection: PostgresConnection) async throws -> [DepartmentCompliance] {
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(tenantId)
        let sql = """
            WITH latest AS (
                SELECT DISTINCT ON (f.course_id, f.user_id) f.*
                FROM enrollment_facts f
                WHERE f.tenant_id = $2 AND f.role = 'learner' AND f.status IS NOT NULL
                ORDER BY f.course_id, f.user_id, f.cycle DESC
            )
            SELECT coalesce(u.department, ''),
                   count(*) FILTER (WHERE f.status <> 'withdrawn')::bigint,
                   count(*) FILTER (WHERE f.status = 'completed')::bigint,
                   count(*) FILTER (WHERE \(Self.overdue))::bigint
            FROM latest f LEFT JOIN report_users u ON u.tenant_id = f.tenant_id AND u.user_id = f.user_id
            GROUP BY 1 ORDER BY 1
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var result: [DepartmentCompliance] = []
        for try await (department, assigned, completed, overdue) in rows.decode((String, Int, Int, Int).self) {
            result.append(DepartmentCompliance(department: department, assigned: assigned, completed: completed, overdue: overdue))
        }
        return result
    }

    /// Overdue learner enrollments at the end of each of the last `days` days (up to `asOf`),
    /// reconstructed from due and completion dates (withdrawn and expired ones left out).
    package func overdueTrend(tenantId: String, days: Int, asOf: Date, on connection: PostgresConnection) async throws -> [(day: Date, overdue: Int)]
    {
        var binds = PostgresBindings()
        binds.append(asOf)
        binds.append(tenantId)
        binds.append(days - 1)
        let sql = """
            SELECT d.at, count(f.enrollment_id)::bigint
            FROM generate_series($1::timestamptz - make_interval(days => $3::int), $1::timestamptz, interval '1 day') AS d(at)
            LEFT JOIN enrollment_facts f
              ON f.tenant_id = $2 AND f.role = 'learner' AND f.status IN ('active', 'suspended', 'completed')
             AND f.due_at < d.at AND f.enrolled_at <= d.at
             AND (coalesce(f.completed_at, f.progress_completed_at) IS NULL OR coalesce(f.completed_at, f.progress_completed_at) > d.at)
             AND (f.status <> 'completed' OR coalesce(f.completed_at, f.progress_completed_at) IS NOT NULL)
            GROUP BY d.at ORDER BY d.at
            """
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        var points: [(day: Date, overdue: Int)] = []
        for try await (day, count) in rows.decode((Date, Int).self) { points.append((day, count)) }
        return points
    }

    static func column(_ dimension: ComplianceDimension) -> String {
        switch dimension {
        case .department: "department"
        case .location: "location"
        case .jobRole: "job_role"
        }
    }

    static func rate(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : min(1, Double(part) / Double(whole))
    }

    /// Report versions are the `asOf` instant in epoch milliseconds: increasing per key, stateless.
    static func version(_ asOf: Date) -> Int64 {
        Int64((asOf.timeIntervalSince1970 * 1000).rounded())
    }
}
