import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Writes the read model from consumed events, one multi-row statement per kind of write, and
/// marks the report keys each write touched as dirty in the same statement (for the publisher).
///
/// Every event is a full snapshot with a per-aggregate `version`, so a write only applies when its
/// version is above the one stored: redelivery, replays and out-of-order arrival change nothing.
///
/// Writes of facts and of a learner's dimensions run in different consumers' transactions; they
/// are serialised per learner (``lockLearners(_:_:on:)``) so the dirty marks are never lost to
/// the two seeing each other's work uncommitted.
package struct ReadModelRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// Marks, for each `touched(tenant_id, course_id, user_id)` row, the course summary and the
    /// learner's three compliance groups (by the user's dimensions as stored now) as dirty.
    /// Keys are inserted in a fixed order so concurrent consumers never deadlock on them.
    ///
    /// A key already dirty has its `mark` counted up rather than being left alone (`DO NOTHING`):
    /// the publisher clears only keys whose mark is the one it read, and skips rows locked by a
    /// running transaction, so a change it computed the snapshot without (uncommitted then, or
    /// committed after it read the keys) is published by a later tick instead of lost until the
    /// hourly re-publish.
    static let markDirty = """
        INSERT INTO dirty_reports (tenant_id, course_id, dimension, value)
        SELECT DISTINCT t.tenant_id, t.course_id, d.dimension, d.value
        FROM touched t
        LEFT JOIN report_users u ON u.tenant_id = t.tenant_id AND u.user_id = t.user_id
        CROSS JOIN LATERAL (VALUES ('summary', ''), ('department', coalesce(u.department, '')),
                                   ('location', coalesce(u.location, '')), ('jobRole', coalesce(u.job_role, '')))
             AS d(dimension, value)
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (tenant_id, course_id, dimension, value) DO UPDATE SET mark = dirty_reports.mark + 1
        """

    /// Applies `lms.enrollment.*` snapshots (the newest per enrollment of the batch).
    package func applyEnrollments(
        _ snapshots: [EnrollmentSnapshot],
        rule: VersionRule = .newer,
        on connection: PostgresConnection
    ) async throws {
        guard !snapshots.isEmpty else { return }
        let rows = Self.newest(snapshots, key: { EnrollmentKey(tenantId: $0.tenantId, enrollmentId: $0.enrollmentId) }, version: \.version)
        try await lockLearners(rows.map(\.tenantId), rows.map(\.userId), on: connection)
        let json = try DatabaseJSON.encode(rows)
        try await connection.query(
            """
            WITH touched AS (
                INSERT INTO enrollment_facts AS f (tenant_id, enrollment_id, course_id, user_id, cycle, role, status, source,
                                                   enrolled_at, due_at, completed_at, enrollment_version)
                SELECT r."tenantId", r."enrollmentId", r."courseId", r."userId", r.cycle, r.role, r.status, r.source,
                       r."enrolledAt", r."dueAt", r."completedAt", r.version
                FROM jsonb_to_recordset(\(json)::jsonb) AS r("tenantId" text, "enrollmentId" uuid, "courseId" text, "userId" text,
                     cycle integer, role text, status text, source text, "enrolledAt" timestamptz, "dueAt" timestamptz,
                     "completedAt" timestamptz, version bigint)
                ON CONFLICT (tenant_id, enrollment_id) DO UPDATE SET
                    course_id = EXCLUDED.course_id, cycle = EXCLUDED.cycle, role = EXCLUDED.role,
                    status = EXCLUDED.status, source = EXCLUDED.source, enrolled_at = EXCLUDED.enrolled_at,
                    due_at = EXCLUDED.due_at, completed_at = EXCLUDED.completed_at,
                    enrollment_version = EXCLUDED.enrollment_version
                WHERE f.enrollment_version \(unescaped: rule.comparison) EXCLUDED.enrollment_version
                RETURNING f.tenant_id, f.course_id, f.user_id
            )
            \(unescaped: Self.markDirty)
            """,
            logger: logger
        )
    }

    /// Applies `lms.progress.*` snapshots (the newest per enrollment of the batch). Progress may
    /// arrive before its enrollment: the fact row then waits, uncounted, for the enrollment event.
    package func applyProgress(_ snapshots: [ProgressSnapshot], rule: VersionRule = .newer, on connection: PostgresConnection) async throws {
        guard !snapshots.isEmpty else { return }
        let rows = Self.newest(snapshots, key: { EnrollmentKey(tenantId: $0.tenantId, enrollmentId: $0.enrollmentId) }, version: \.version)
        try await lockLearners(rows.map(\.tenantId), rows.map(\.userId), on: connection)
        let json = try DatabaseJSON.encode(rows)
        try await connection.query(
            """
            WITH touched AS (
                INSERT INTO enrollment_facts AS f (tenant_id, enrollment_id, course_id, user_id, cycle, due_at, percent, score,
                                                   progress_overdue, progress_completed_at, progress_version)
                SELECT r."tenantId", r."enrollmentId", r."courseId", r."userId", r.cycle, r."dueAt", r.percent, r.score,
                       r.overdue, r."completedAt", r.version
                FROM jsonb_to_recordset(\(json)::jsonb) AS r("tenantId" text, "enrollmentId" uuid, "courseId" text, "userId" text,
                     cycle integer, "dueAt" timestamptz, percent double precision, score double precision, overdue boolean,
                     "completedAt" timestamptz, version bigint)
                ON CONFLICT (tenant_id, enrollment_id) DO UPDATE SET
                    percent = EXCLUDED.percent, score = EXCLUDED.score, progress_overdue = EXCLUDED.progress_overdue,
                    progress_completed_at = EXCLUDED.progress_completed_at, progress_version = EXCLUDED.progress_version
                WHERE f.progress_version \(unescaped: rule.comparison) EXCLUDED.progress_version
                RETURNING f.tenant_id, f.course_id, f.user_id
            )
            \(unescaped: Self.markDirty)
            """,
            logger: logger
        )
    }

    /// Applies `lms.course.upserted` (titles for transcripts and the dashboard).
    package func applyCourses(_ courses: [CourseSettings], rule: VersionRule = .newer, on connection: PostgresConnection) async throws {
        guard !courses.isEmpty else { return }
        let ordered = Self.newest(courses, key: { CourseKey(tenantId: $0.tenantId, courseId: $0.courseId) }, version: \.version)
        try await connection.query(
            """
            INSERT INTO report_courses AS c (tenant_id, course_id, title, version)
            SELECT * FROM unnest(\(ordered.map(\.tenantId))::text[], \(ordered.map(\.courseId))::text[],
                                 \(ordered.map(\.title))::text[], \(ordered.map(\.version))::bigint[])
            ON CONFLICT (tenant_id, course_id) DO UPDATE SET title = EXCLUDED.title, version = EXCLUDED.version
            WHERE c.version \(unescaped: rule.comparison) EXCLUDED.version
            """,
            logger: logger
        )
    }

    /// Applies user changes: profile snapshots and lifecycle events (`erased` clears the
    /// dimensions). The compliance groups of the users' enrollments are marked dirty before and
    /// after, so a department change republishes both the old and the new group.
    package func applyUsers(
        snapshots: [UserSnapshot],
        lifecycle: [(event: UserLifecycleEvent, status: UserStatus)],
        rule: VersionRule = .newer,
        on connection: PostgresConnection
    ) async throws {
        guard !snapshots.isEmpty || !lifecycle.isEmpty else { return }
        func learners(_ snapshots: [UserSnapshot], _ lifecycle: [(event: UserLifecycleEvent, status: UserStatus)]) -> [UserKey] {
            Array(
                Set(
                    snapshots.map { UserKey(tenantId: $0.tenantId, userId: $0.userId) }
                        + lifecycle.map { UserKey(tenantId: $0.event.tenantId, userId: $0.event.userId) }))
        }
        // Locked before the check, so that an erasure committing meanwhile is seen by it.
        let locked = learners(snapshots, lifecycle)
        try await lockLearners(locked.map(\.tenantId), locked.map(\.userId), on: connection)
        let (snapshots, lifecycle) = try await unapplied(snapshots: snapshots, lifecycle: lifecycle, rule: rule, on: connection)
        guard !snapshots.isEmpty || !lifecycle.isEmpty else { return }
        let users = learners(snapshots, lifecycle)
        try await markUsersDirty(users, on: connection)
        if !snapshots.isEmpty {
            let rows = Self.newest(snapshots, key: { UserKey(tenantId: $0.tenantId, userId: $0.userId) }, version: \.version)
            // An erased user keeps no dimensions.
            try await connection.query(
                """
                INSERT INTO report_users AS u (tenant_id, user_id, department, location, job_role, status, version)
                SELECT r."tenantId", r."userId", CASE WHEN r.status <> 'erased' THEN r.department END,
                       CASE WHEN r.status <> 'erased' THEN r.location END, CASE WHEN r.status <> 'erased' THEN r."jobRole" END,
                       r.status, r.version
                FROM jsonb_to_recordset(\(try DatabaseJSON.encode(rows))::jsonb)
                     AS r("tenantId" text, "userId" text, department text, location text, "jobRole" text, status text, version bigint)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET
                    department = EXCLUDED.department, location = EXCLUDED.location, job_role = EXCLUDED.job_role,
                    status = CASE WHEN u.lifecycle_version \(unescaped: rule.comparison) EXCLUDED.version THEN EXCLUDED.status ELSE u.status END,
                    version = EXCLUDED.version
                WHERE u.version \(unescaped: rule.comparison) EXCLUDED.version
                """,
                logger: logger
            )
        }
        if !lifecycle.isEmpty {
            let ordered = Self.newest(lifecycle, key: { UserKey(tenantId: $0.event.tenantId, userId: $0.event.userId) }, version: \.event.version)
            try await connection.query(
                """
                INSERT INTO report_users AS u (tenant_id, user_id, status, lifecycle_version)
                SELECT * FROM unnest(\(ordered.map(\.event.tenantId))::text[], \(ordered.map(\.event.userId))::text[],
                                     \(ordered.map(\.status.rawValue))::text[], \(ordered.map(\.event.version))::bigint[])
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET
                    status = EXCLUDED.status, lifecycle_version = EXCLUDED.lifecycle_version,
                    department = CASE WHEN EXCLUDED.status = 'erased' THEN NULL ELSE u.department END,
                    location = CASE WHEN EXCLUDED.status = 'erased' THEN NULL ELSE u.location END,
                    job_role = CASE WHEN EXCLUDED.status = 'erased' THEN NULL ELSE u.job_role END
                WHERE u.lifecycle_version < EXCLUDED.lifecycle_version
                """,
                logger: logger
            )
            try await pseudonymize(ordered.filter { $0.status == .erased }.map(\.event), on: connection)
        }
        try await markUsersDirty(users, on: connection)
    }

    /// The user events that would change something: above the stored versions (by `rule`) and not
    /// of an erased learner. Copies of events already applied (a relay's republish, a replay) arrive
    /// as new messages; without this they would mark the learner's reports dirty again, and an
    /// erased learner's older events would bring the learner back under the original id.
    private func unapplied(
        snapshots: [UserSnapshot],
        lifecycle: [(event: UserLifecycleEvent, status: UserStatus)],
        rule: VersionRule,
        on connection: PostgresConnection
    ) async throws -> (snapshots: [UserSnapshot], lifecycle: [(event: UserLifecycleEvent, status: UserStatus)]) {
        guard !snapshots.isEmpty || !lifecycle.isEmpty else { return ([], []) }
        let tenants = snapshots.map(\.tenantId) + lifecycle.map(\.event.tenantId)
        let users = snapshots.map(\.userId) + lifecycle.map(\.event.userId)
        let versions = snapshots.map(\.version) + lifecycle.map(\.event.version)
        let isSnapshot = snapshots.map { _ in true } + lifecycle.map { _ in false }
        let rows = try await connection.query(
            """
            SELECT (x.n - 1)::int8 FROM unnest(\(tenants)::text[], \(users)::text[], \(versions)::int8[], \(isSnapshot)::bool[])
                WITH ORDINALITY AS x(tenant_id, user_id, version, snapshot, n)
            LEFT JOIN LATERAL (
                SELECT u.version, u.lifecycle_version FROM report_users u WHERE u.tenant_id = x.tenant_id AND u.user_id = x.user_id
                LIMIT 1  -- one primary-key probe per event, never flattened into a join the planner could hash
            ) AS u ON TRUE
            WHERE NOT EXISTS (SELECT 1 FROM report_erased_users e WHERE e.tenant_id = x.tenant_id AND e.user_id = x.user_id)
              AND (u.version IS NULL
                   OR CASE WHEN x.snapshot THEN u.version ELSE u.lifecycle_version END \(unescaped: rule.comparison) x.version)
            """,
            logger: logger
        )
        var keep = Set<Int>()
        for try await index in rows.decode(Int64.self) { keep.insert(Int(index)) }
        return (
            snapshots.indices.filter { keep.contains($0) }.map { snapshots[$0] },
            lifecycle.indices.filter { keep.contains(snapshots.count + $0) }.map { lifecycle[$0] }
        )
    }

    /// Replaces an erased user's id with a random `erased-<uuid>` pseudonym in the facts and the
    /// user dimension: the counts stay, nothing links them to the person (a transcript of the old id
    /// is empty). An enrollment's user id is never overwritten afterwards (see `applyEnrollments`).
    private func pseudonymize(_ erased: [UserLifecycleEvent], on connection: PostgresConnection) async throws {
        guard !erased.isEmpty else { return }
        let pseudonyms = erased.map { _ in "erased-" + UUID().lowercasedString }
        try await connection.query(
            """
            WITH erased AS (
                SELECT * FROM unnest(\(erased.map(\.tenantId))::text[], \(erased.map(\.userId))::text[], \(pseudonyms)::text[])
                    AS e(tenant_id, user_id, pseudonym)
            ), facts AS (
                UPDATE enrollment_facts f SET user_id = e.pseudonym
                FROM erased e WHERE f.tenant_id = e.tenant_id AND f.user_id = e.user_id
            )
            UPDATE report_users u SET user_id = e.pseudonym
            FROM erased e WHERE u.tenant_id = e.tenant_id AND u.user_id = e.user_id
            """,
            logger: logger
        )
        // Remember the erasure for good: an older event of the learner, delivered again, must not bring
        // the learner back under the original id.
        try await connection.query(
            """
            INSERT INTO report_erased_users (tenant_id, user_id)
            SELECT * FROM unnest(\(erased.map(\.tenantId))::text[], \(erased.map(\.userId))::text[])
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        // While a rebuild of the tenant runs, remember the erasure: a page read before it must not bring the learner back.
        try await connection.query(
            """
            INSERT INTO report_rebuild_erasures (tenant_id, user_id)
            SELECT e.tenant_id, e.user_id FROM unnest(\(erased.map(\.tenantId))::text[], \(erased.map(\.userId))::text[]) AS e(tenant_id, user_id)
            WHERE EXISTS (SELECT 1 FROM report_rebuilds r WHERE r.tenant_id = e.tenant_id AND r.status = 'running')
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Takes a transaction-scoped advisory lock per learner, in one global order (so batches never
    /// deadlock on them). Without it, under READ COMMITTED, an enrollment inserted while its
    /// learner's department changes is marked under the old group by the one transaction and
    /// not seen by the other, so the new group's snapshot would never be re-published.
    private func lockLearners(_ tenants: [String], _ users: [String], on connection: PostgresConnection) async throws {
        try await AdvisoryLocks.lock(zip(tenants, users).map { "reports.learner/\($0)/\($1)" }, on: connection, logger: logger)
    }

    /// Marks the report keys of every enrollment of these users dirty.
    private func markUsersDirty(_ users: [UserKey], on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH touched AS (
                SELECT f.tenant_id, f.course_id, f.user_id
                FROM enrollment_facts f
                JOIN unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
                  ON f.tenant_id = k.tenant_id AND f.user_id = k.user_id
            )
            \(unescaped: Self.markDirty)
            """,
            logger: logger
        )
    }

    /// The newest element of the batch per key (replays and out-of-order events dropped), in key
    /// order, so that concurrent batches write and lock rows in one order.
    static func newest<Element, Key: Hashable & Comparable>(
        _ elements: [Element], key: (Element) -> Key, version: (Element) -> Int64
    ) -> [Element] {
        elements.newestByVersion(key: key, version: version).map { (key($0), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
