import Contracts
import Logging
import PostgresNIO
import ServicePlatform

/// The `courses` table.
package struct CourseRepository: Sendable {
    let logger: Logger

    /// Creates or replaces a course's settings; the version goes up by one on every write.
    /// Returns the stored settings and whether the course is new. Locks the course row.
    package func upsert(_ settings: CourseSettings, on connection: PostgresConnection) async throws -> (CourseSettings, created: Bool) {
        let result = try await connection.query(
            """
            INSERT INTO courses AS c (
                tenant_id, course_id, title, capacity, waitlist, enrollment_opens_at, enrollment_closes_at,
                self_enrollment_enabled, required_profile_fields, restrict_to_segment_id, default_due_days, access_days,
                recertify_every_days, modules, passing_score, version, created_at, updated_at)
            VALUES (
                \(settings.tenantId), \(settings.courseId), \(settings.title), \(settings.capacity), \(settings.waitlist),
                \(settings.enrollmentOpensAt), \(settings.enrollmentClosesAt), \(settings.selfEnrollment.enabled),
                \(settings.selfEnrollment.requiredProfileFields), \(settings.selfEnrollment.restrictToSegmentId), \(settings.defaultDueDays),
                \(settings.accessDays), \(settings.recertifyEveryDays), \(settings.modules), \(settings.passingScore), 1, \(settings.updatedAt),
                \(settings.updatedAt))
            ON CONFLICT (tenant_id, course_id) DO UPDATE SET
                title = EXCLUDED.title, capacity = EXCLUDED.capacity, waitlist = EXCLUDED.waitlist,
                enrollment_opens_at = EXCLUDED.enrollment_opens_at, enrollment_closes_at = EXCLUDED.enrollment_closes_at,
                self_enrollment_enabled = EXCLUDED.self_enrollment_enabled,
                required_profile_fields = EXCLUDED.required_profile_fields,
                restrict_to_segment_id = EXCLUDED.restrict_to_segment_id, default_due_days = EXCLUDED.default_due_days,
                access_days = EXCLUDED.access_days, recertify_every_days = EXCLUDED.recertify_every_days,
                modules = EXCLUDED.modules, passing_score = EXCLUDED.passing_score, version = c.version + 1,
                updated_at = EXCLUDED.updated_at
            RETURNING to_jsonb(c)::text, (xmax = 0)
            """,
            logger: logger
        )
        for try await (text, created) in result.decode((String, Bool).self) {
            return (try DatabaseJSON.decode(CourseRow.self, from: text).settings, created)
        }
        throw DatabaseRowError(type: "CourseRow", message: "the upsert returned no row")
    }

    package func find(_ course: CourseKey, on connection: PostgresConnection) async throws -> CourseSettings? {
        try await connection.jsonRows(
            CourseRow.self,
            "SELECT to_jsonb(c)::text FROM courses c WHERE tenant_id = \(course.tenantId) AND course_id = \(course.courseId)",
            logger: logger
        ).first?.settings
    }

    /// A page of a tenant's courses in `courseId` order, after `after`.
    package func list(tenantId: String, after: String?, limit: Int, on connection: PostgresConnection) async throws -> [CourseSettings] {
        try await connection.jsonRows(
            CourseRow.self,
            """
            SELECT to_jsonb(c)::text FROM courses c
            WHERE tenant_id = \(tenantId) AND (\(after)::text IS NULL OR course_id > \(after))
            ORDER BY course_id LIMIT \(limit)
            """,
            logger: logger
        ).map(\.settings)
    }

    /// How ``lock(_:_:on:)`` reads the course rows.
    package enum RowLock: String, Sendable {
        case none = ""
        case shared = "FOR SHARE"
        case exclusive = "FOR UPDATE"
    }

    /// Reads and locks the courses' settings (in one global order, so transactions never deadlock on them).
    package func lock(
        _ courses: some Collection<CourseKey>, _ mode: RowLock = .exclusive, on connection: PostgresConnection
    ) async throws -> [CourseKey: CourseSettings] {
        guard !courses.isEmpty else { return [:] }
        let tenants = courses.map(\.tenantId)
        let ids = courses.map(\.courseId)
        let rows = try await connection.jsonRows(
            CourseRow.self,
            """
            SELECT to_jsonb(c)::text FROM courses c
            WHERE (c.tenant_id, c.course_id) IN (SELECT * FROM unnest(\(tenants)::text[], \(ids)::text[]))
            ORDER BY c.tenant_id, c.course_id
            \(unescaped: mode.rawValue)
            """,
            logger: logger
        )
        return Dictionary(rows.map { (CourseKey(tenantId: $0.settings.tenantId, courseId: $0.settings.courseId), $0.settings) }) { _, last in last }
    }

    /// Locks courses for enrollments that are serialised per seat instead (see
    /// ``EnrollmentWorkflow/LockScope/seats``): a course with a capacity exclusively, since its
    /// seats are counted, any other one shared, so learners enroll into it concurrently while
    /// course changes and batch paths (which lock exclusively) still wait for them. One statement
    /// per course, in the global order; meant for a single learner's request.
    package func lockForSeats(_ courses: some Collection<CourseKey>, on connection: PostgresConnection) async throws -> [CourseKey: CourseSettings] {
        let current = try await lock(courses, .none, on: connection)
        var locked: [CourseKey: CourseSettings] = [:]
        for key in current.keys.sorted() {
            var row = try await lock([key], current[key]?.capacity == nil ? .shared : .exclusive, on: connection)
            if current[key]?.capacity == nil, row[key]?.capacity != nil {
                row = try await lock([key], .exclusive, on: connection)  // gained a capacity meanwhile (rare)
            }
            locked.merge(row) { _, new in new }
        }
        return locked
    }
}
