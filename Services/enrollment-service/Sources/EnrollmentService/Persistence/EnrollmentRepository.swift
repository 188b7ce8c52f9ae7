import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `enrollments`, `enrollment_transitions` and `rule_exclusions` tables.
///
/// Callers hold the course lock (``CourseRepository/lock(_:on:)``) before they read enrollments
/// they are going to change; that lock is what serialises changes to one course's enrollments.
package struct EnrollmentRepository: Sendable {
    let logger: Logger

    /// Column list of `jsonb_to_recordset` for ``EnrollmentRecord`` rows (inserts keep the batch order
    /// with `jsonb_array_elements ... WITH ORDINALITY` and `jsonb_populate_record` instead).
    private static let recordColumns = """
        enrollment_id uuid, tenant_id text, course_id text, user_id text, cycle integer, role text, status text,
        source text, source_ref text, enrolled_at timestamptz, due_at timestamptz, expires_at timestamptz,
        completed_at timestamptz, status_changed_at timestamptz, suspension_cause text, rule_id uuid,
        rule_version bigint, explanation jsonb, profile_answers jsonb, mandatory boolean, version bigint
        """

    // MARK: Reading

    package func find(_ enrollmentId: UUID, tenantId: String, on connection: PostgresConnection) async throws -> EnrollmentRecord? {
        try await records(
            "SELECT to_jsonb(e)::text FROM enrollments e WHERE enrollment_id = \(enrollmentId) AND tenant_id = \(tenantId)",
            on: connection
        ).first
    }

    /// The enrollments with these ids, locked.
    package func lock(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: EnrollmentRecord] {
        guard !ids.isEmpty else { return [:] }
        let found = try await records(
            "SELECT to_jsonb(e)::text FROM enrollments e WHERE enrollment_id = ANY(\(ids)::uuid[]) ORDER BY enrollment_id FOR UPDATE",
            on: connection
        )
        return Dictionary(found.map { ($0.enrollmentId, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The courses of these enrollments (to lock them first).
    package func courses(of ids: [UUID], on connection: PostgresConnection) async throws -> [CourseKey] {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT DISTINCT tenant_id, course_id FROM enrollments WHERE enrollment_id = ANY(\(ids)::uuid[])",
            logger: logger
        )
        var result: [CourseKey] = []
        for try await (tenant, course) in rows.decode((String, String).self) {
            result.append(CourseKey(tenantId: tenant, courseId: course))
        }
        return result
    }

    /// Serialises enrollments of the same learners into the same courses (transaction-scoped
    /// advisory locks, one global order): what the exclusive course lock does for batch paths,
    /// per seat, for requests that lock a course only shared.
    package func lockSeats(_ holders: some Collection<SeatHolder>, on connection: PostgresConnection) async throws {
        let keys = holders.map { "enrollments.seat/\($0.course.tenantId)/\($0.course.courseId)/\($0.userId)" }
        try await AdvisoryLocks.lock(keys, on: connection, logger: logger)
    }

    /// The latest cycle's enrollment of each (course, user) that has one.
    package func latest(for holders: some Collection<SeatHolder>, on connection: PostgresConnection) async throws -> [SeatHolder: EnrollmentRecord] {
        guard !holders.isEmpty else { return [:] }
        let tenants = holders.map(\.course.tenantId)
        let courses = holders.map(\.course.courseId)
        let users = holders.map(\.userId)
        let found = try await records(
            """
            SELECT DISTINCT ON (e.tenant_id, e.course_id, e.user_id) to_jsonb(e)::text
            FROM enrollments e
            JOIN (SELECT DISTINCT * FROM unnest(\(tenants)::text[], \(courses)::text[], \(users)::text[])) AS k(tenant_id, course_id, user_id)
              ON e.tenant_id = k.tenant_id AND e.course_id = k.course_id AND e.user_id = k.user_id
            ORDER BY e.tenant_id, e.course_id, e.user_id, e.cycle DESC
            """,
            on: connection
        )
        return Dictionary(
            found.map { (SeatHolder(course: $0.course, userId: $0.userId), $0) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// Seats held per course (learners that are active or suspended).
    package func seatsTaken(in courses: some Collection<CourseKey>, on connection: PostgresConnection) async throws -> [CourseKey: Int] {
        guard !courses.isEmpty else { return [:] }
        let tenants = courses.map(\.tenantId)
        let ids = courses.map(\.courseId)
        let rows = try await connection.query(
            """
            SELECT e.tenant_id, e.course_id, count(*)::int FROM enrollments e
            JOIN unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, course_id)
              ON e.tenant_id = k.tenant_id AND e.course_id = k.course_id
            WHERE e.role = 'learner' AND e.status IN ('active', 'suspended')
            GROUP BY e.tenant_id, e.course_id
            """,
            logger: logger
        )
        var result: [CourseKey: Int] = [:]
        for try await (tenant, course, count) in rows.decode((String, String, Int).self) {
            result[CourseKey(tenantId: tenant, courseId: course)] = count
        }
        return result
    }

    /// The longest-waiting learners of each course, up to its number of free seats. Learners the
    /// user projection knows as deactivated or erased are passed over.
    package func waitlistHeads(_ free: [CourseKey: Int], on connection: PostgresConnection) async throws -> [EnrollmentRecord] {
        guard !free.isEmpty else { return [] }
        let entries = Array(free)
        let tenants = entries.map(\.key.tenantId)
        let courses = entries.map(\.key.courseId)
        let seats = entries.map(\.value)
        return try await records(
            """
            SELECT w.row FROM (
                SELECT to_jsonb(e)::text AS row, k.seats,
                       row_number() OVER (PARTITION BY e.tenant_id, e.course_id ORDER BY e.status_changed_at, e.seq) AS place
                FROM enrollments e
                JOIN unnest(\(tenants)::text[], \(courses)::text[], \(seats)::int[]) AS k(tenant_id, course_id, seats)
                  ON e.tenant_id = k.tenant_id AND e.course_id = k.course_id
                WHERE e.status = 'waitlisted' AND e.role = 'learner'
                  AND NOT EXISTS (
                      SELECT 1 FROM users u
                      WHERE u.tenant_id = e.tenant_id AND u.user_id = e.user_id AND u.status <> 'active')
            ) AS w
            WHERE w.place <= w.seats
            """,
            on: connection
        )
    }

    /// Enrollments of these users in the given statuses (for user lifecycle reactions).
    package func ofUsers(
        _ users: some Collection<UserKey>,
        statuses: [EnrollmentStatus],
        on connection: PostgresConnection
    ) async throws -> [EnrollmentRecord] {
        guard !users.isEmpty else { return [] }
        let tenants = users.map(\.tenantId)
        let ids = users.map(\.userId)
        let wanted = statuses.map(\.rawValue)
        return try await records(
            """
            SELECT to_jsonb(e)::text FROM enrollments e
            JOIN unnest(\(tenants)::text[], \(ids)::text[]) AS k(tenant_id, user_id)
              ON e.tenant_id = k.tenant_id AND e.user_id = k.user_id
            WHERE e.status = ANY(\(wanted)::text[])
            ORDER BY e.seq
            """,
            on: connection
        )
    }

    /// A page of a course's enrollments in creation order, optionally filtered.
    package func list(
        course: CourseKey,
        status: EnrollmentStatus?,
        source: EnrollmentSource?,
        afterSeq: Int64?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [(seq: Int64, record: EnrollmentRecord)] {
        try await page(
            """
            SELECT e.seq, to_jsonb(e)::text FROM enrollments e
            WHERE e.tenant_id = \(course.tenantId) AND e.course_id = \(course.courseId)
              AND (\(status?.rawValue)::text IS NULL OR e.status = \(status?.rawValue))
              AND (\(source?.rawValue)::text IS NULL OR e.source = \(source?.rawValue))
              AND e.seq > \(afterSeq ?? 0)
            ORDER BY e.seq LIMIT \(limit)
            """,
            on: connection
        )
    }

    /// A page of a user's enrollments in creation order.
    package func list(
        user: UserKey,
        afterSeq: Int64?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [(seq: Int64, record: EnrollmentRecord)] {
        try await page(
            """
            SELECT e.seq, to_jsonb(e)::text FROM enrollments e
            WHERE e.tenant_id = \(user.tenantId) AND e.user_id = \(user.userId) AND e.seq > \(afterSeq ?? 0)
            ORDER BY e.seq LIMIT \(limit)
            """,
            on: connection
        )
    }

    /// A page of a tenant's enrollments in (user, creation) order after `after` (the index
    /// `enrollments_by_user` serves it), each with whether its learner is known to be erased, for a resync.
    package func current(
        tenantId: String,
        after: (userId: String, seq: Int64)?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [(seq: Int64, record: EnrollmentRecord, learnerErased: Bool)] {
        let rows = try await connection.query(
            """
            SELECT e.seq, to_jsonb(e)::text, coalesce(u.status = 'erased', false) FROM enrollments e
            LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.user_id = e.user_id
            WHERE e.tenant_id = \(tenantId) AND (e.user_id, e.seq) > (\(after?.userId ?? ""), \(after?.seq ?? 0))
            ORDER BY e.user_id, e.seq LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [(seq: Int64, record: EnrollmentRecord, learnerErased: Bool)] = []
        for try await (seq, text, erased) in rows.decode((Int64, String, Bool).self) {
            result.append((seq, try DatabaseJSON.decode(EnrollmentRecord.self, from: text), erased))
        }
        return result
    }

    /// The enrollment's transitions, oldest first.
    package func history(of enrollmentId: UUID, on connection: PostgresConnection) async throws -> [TransitionRecord] {
        try await connection.jsonRows(
            TransitionRecord.self,
            "SELECT to_jsonb(t)::text FROM enrollment_transitions t WHERE enrollment_id = \(enrollmentId) ORDER BY id",
            logger: logger
        )
    }

    /// Whether `userId` holds an active instructor enrollment in the course.
    package func isInstructor(_ userId: String, of course: CourseKey, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM enrollments
            WHERE tenant_id = \(course.tenantId) AND course_id = \(course.courseId) AND user_id = \(userId)
              AND role = 'instructor' AND status = 'active'
            LIMIT 1
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Records that the learners of these enrollments started working (the first time only). An id
    /// is applied only within its event's tenant: another tenant's enrollment is never touched.
    package func markStarted(_ ids: [(tenantId: String, enrollmentId: UUID)], at now: Date, on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            """
            UPDATE enrollments e SET progress_started_at = \(now)
            FROM unnest(\(ids.map(\.tenantId))::text[], \(ids.map(\.enrollmentId))::uuid[]) AS k(tenant_id, enrollment_id)
            WHERE e.enrollment_id = k.enrollment_id AND e.tenant_id = k.tenant_id AND e.progress_started_at IS NULL
            """,
            logger: logger
        )
    }

    /// Those of `ids` whose learner has started working (progress beyond `not_started`).
    package func started(_ ids: [UUID], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        let rows = try await connection.query(
            "SELECT enrollment_id FROM enrollments WHERE enrollment_id = ANY(\(ids)::uuid[]) AND progress_started_at IS NOT NULL",
            logger: logger
        )
        return try await rows.decode(UUID.self).reduce(into: []) { $0.insert($1) }
    }

    /// Rule exclusions among these (rule, course, user) triples of one batch.
    package func exclusions(
        _ candidates: [(tenantId: String, ruleId: UUID, courseId: String, userId: String)],
        on connection: PostgresConnection
    ) async throws -> Set<String> {
        guard !candidates.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT x.tenant_id, x.rule_id, x.course_id, x.user_id FROM rule_exclusions x
            JOIN unnest(\(candidates.map(\.tenantId))::text[], \(candidates.map(\.ruleId))::uuid[],
                        \(candidates.map(\.courseId))::text[], \(candidates.map(\.userId))::text[]) AS k(tenant_id, rule_id, course_id, user_id)
              ON x.tenant_id = k.tenant_id AND x.rule_id = k.rule_id AND x.course_id = k.course_id AND x.user_id = k.user_id
            """,
            logger: logger
        )
        var result = Set<String>()
        for try await (tenant, rule, course, user) in rows.decode((String, UUID, String, String).self) {
            result.insert(Self.exclusionKey(tenant, rule, course, user))
        }
        return result
    }

    package static func exclusionKey(_ tenantId: String, _ ruleId: UUID, _ courseId: String, _ userId: String) -> String {
        "\(tenantId)\u{1F}\(ruleId.lowercasedString)\u{1F}\(courseId)\u{1F}\(userId)"
    }

    // MARK: Writing

    /// Writes a change set with one statement per kind of change (its events are the caller's to enqueue).
    package func write(_ changes: EnrollmentChangeSet, on connection: PostgresConnection) async throws {
        if !changes.inserted.isEmpty {
            let rows = try DatabaseJSON.encode(changes.inserted)
            try await connection.query(
                """
                INSERT INTO enrollments (
                    enrollment_id, tenant_id, course_id, user_id, cycle, role, status, source, source_ref, enrolled_at, due_at,
                    expires_at, completed_at, status_changed_at, suspension_cause, rule_id, rule_version, explanation,
                    profile_answers, mandatory, version)
                SELECT r.enrollment_id, r.tenant_id, r.course_id, r.user_id, r.cycle, r.role, r.status, r.source, r.source_ref,
                       r.enrolled_at, r.due_at, r.expires_at, r.completed_at, r.status_changed_at, r.suspension_cause, r.rule_id,
                       r.rule_version, r.explanation, r.profile_answers, r.mandatory, r.version
                FROM jsonb_array_elements(\(rows)::jsonb) WITH ORDINALITY AS a(value, n)
                CROSS JOIN LATERAL jsonb_populate_record(NULL::enrollments, a.value) AS r
                ORDER BY a.n
                """,
                logger: logger
            )
        }
        if !changes.updated.isEmpty {
            let rows = try DatabaseJSON.encode(changes.updated)
            try await connection.query(
                """
                UPDATE enrollments e SET
                    status = r.status, source = r.source, source_ref = r.source_ref, enrolled_at = r.enrolled_at,
                    due_at = r.due_at, expires_at = r.expires_at, completed_at = r.completed_at,
                    status_changed_at = r.status_changed_at, suspension_cause = r.suspension_cause, rule_id = r.rule_id,
                    rule_version = r.rule_version, explanation = r.explanation, profile_answers = r.profile_answers,
                    mandatory = r.mandatory, version = r.version
                FROM jsonb_to_recordset(\(rows)::jsonb) AS r(\(unescaped: Self.recordColumns))
                WHERE e.enrollment_id = r.enrollment_id
                """,
                logger: logger
            )
        }
        if !changes.transitions.isEmpty {
            let rows = try DatabaseJSON.encode(changes.transitions)
            try await connection.query(
                """
                INSERT INTO enrollment_transitions (enrollment_id, from_status, to_status, actor, reason, at)
                SELECT r.enrollment_id, r.from_status, r.to_status, r.actor, r.reason, r.at
                FROM jsonb_array_elements(\(rows)::jsonb) WITH ORDINALITY AS a(value, n)
                CROSS JOIN LATERAL jsonb_populate_record(NULL::enrollment_transitions, a.value) AS r
                ORDER BY a.n
                """,
                logger: logger
            )
        }
        if !changes.exclusions.isEmpty {
            let rows = try DatabaseJSON.encode(changes.exclusions)
            try await connection.query(
                """
                INSERT INTO rule_exclusions (tenant_id, rule_id, course_id, user_id, enrollment_id, actor, reason, created_at)
                SELECT r.tenant_id, r.rule_id, r.course_id, r.user_id, r.enrollment_id, r.actor, r.reason, r.created_at
                FROM jsonb_to_recordset(\(rows)::jsonb)
                     AS r(tenant_id text, rule_id uuid, course_id text, user_id text, enrollment_id uuid, actor text, reason text,
                          created_at timestamptz)
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        }
    }

    // MARK: Helpers

    private func records(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [EnrollmentRecord] {
        try await connection.jsonRows(EnrollmentRecord.self, query, logger: logger)
    }

    private func page(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [(seq: Int64, record: EnrollmentRecord)] {
        let rows = try await connection.query(query, logger: logger)
        var result: [(seq: Int64, record: EnrollmentRecord)] = []
        for try await (seq, text) in rows.decode((Int64, String).self) {
            result.append((seq, try DatabaseJSON.decode(EnrollmentRecord.self, from: text)))
        }
        return result
    }
}

extension EnrollmentRepository {
    /// Wipes the self-enrollment profile answers of every enrollment of these (erased) users.
    package func eraseProfileAnswers(of users: some Collection<UserKey>, on connection: PostgresConnection) async throws {
        guard !users.isEmpty else { return }
        try await connection.query(
            """
            UPDATE enrollments e SET profile_answers = NULL
            FROM unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]) AS k(tenant_id, user_id)
            WHERE e.tenant_id = k.tenant_id AND e.user_id = k.user_id AND e.profile_answers IS NOT NULL
            """,
            logger: logger
        )
    }
}

extension EnrollmentRepository {
    /// Active enrollments past `expiresAt` at `now`, the longest expired first.
    package func expiring(at now: Date, limit: Int, on connection: PostgresConnection) async throws -> [(tenantId: String, enrollmentId: UUID)] {
        let rows = try await connection.query(
            """
            SELECT tenant_id, enrollment_id FROM enrollments
            WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= \(now)
            ORDER BY expires_at LIMIT \(limit)
            """,
            logger: logger
        )
        var result: [(tenantId: String, enrollmentId: UUID)] = []
        for try await (tenant, id) in rows.decode((String, UUID).self) { result.append((tenant, id)) }
        return result
    }

    /// Completed enrollments whose course recertifies and whose certification lapsed by `now`
    /// (`completedAt + recertifyEveryDays`), without a next cycle yet, of users not known inactive.
    package func lapsedCertifications(at now: Date, limit: Int, on connection: PostgresConnection) async throws -> [EnrollmentRecord] {
        try await records(
            """
            SELECT to_jsonb(e)::text FROM enrollments e
            JOIN courses c ON c.tenant_id = e.tenant_id AND c.course_id = e.course_id
            WHERE e.status = 'completed' AND c.recertify_every_days IS NOT NULL
              AND e.completed_at + make_interval(secs => c.recertify_every_days * 86400) <= \(now)
              AND NOT EXISTS (
                  SELECT 1 FROM enrollments n
                  WHERE n.tenant_id = e.tenant_id AND n.course_id = e.course_id AND n.user_id = e.user_id AND n.cycle > e.cycle)
              AND NOT EXISTS (
                  SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.user_id = e.user_id AND u.status <> 'active')
            ORDER BY e.completed_at LIMIT \(limit)
            """,
            on: connection
        )
    }
}
