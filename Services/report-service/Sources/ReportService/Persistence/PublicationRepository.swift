import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The publisher's tables: `dirty_reports` (the report keys changed since their last snapshot) and
/// `report_state` (when due dates were last swept and everything was last re-published).
package struct PublicationRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// Until when due dates have been swept, and when everything was last re-published; locked
    /// until the transaction ends.
    package func lockState(on connection: PostgresConnection) async throws -> (sweptUntil: Date?, fullPublishAt: Date?) {
        let rows = try await connection.query("SELECT swept_until, full_publish_at FROM report_state FOR UPDATE", logger: logger)
        var state: (sweptUntil: Date?, fullPublishAt: Date?) = (nil, nil)
        for try await (swept, full) in rows.decode((Date?, Date?).self) { state = (swept, full) }
        return state
    }

    /// Marks every report key dirty (a full re-publish).
    package func markAllDirty(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH touched AS (SELECT DISTINCT tenant_id, course_id, user_id FROM enrollment_facts WHERE status IS NOT NULL)
            \(unescaped: ReadModelRepository.markDirty)
            """,
            logger: logger
        )
    }

    /// Marks the keys of active enrollments whose due date is in `(after, upTo]` dirty (they turned
    /// overdue without an event).
    package func markDueDirty(after: Date, upTo: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH touched AS (
                SELECT tenant_id, course_id, user_id FROM enrollment_facts
                WHERE status = 'active' AND due_at > \(after) AND due_at <= \(upTo)
            )
            \(unescaped: ReadModelRepository.markDirty)
            """,
            logger: logger
        )
    }

    /// Records a tick at `now`: due dates are swept until then, and `full` says whether it re-published everything.
    package func recordTick(now: Date, full: Bool, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE report_state SET swept_until = greatest(coalesce(swept_until, \(now)), \(now)),
                   full_publish_at = CASE WHEN \(full) THEN \(now) ELSE full_publish_at END
            """,
            logger: logger
        )
    }

    /// A dirty report key as the publisher read it. `mark` counts how often it was marked, so the
    /// publisher clears only the keys nobody marked again after it read them.
    package struct DirtyKey: Sendable {
        var tenantId: String
        var courseId: String
        var dimension: String
        var value: String
        var mark: Int64
    }

    /// Up to `limit` dirty keys, read without locking them: a consumer marking one of them again
    /// never waits for the publisher's computation (it did while the publisher held the keys
    /// deleted from the take until its commit, the slowest statement of a backfill).
    package func dirtyKeys(limit: Int, on connection: PostgresConnection) async throws -> [DirtyKey] {
        let rows = try await connection.query(
            """
            SELECT tenant_id, course_id, dimension, value, mark FROM dirty_reports
            ORDER BY tenant_id, course_id, dimension, value LIMIT \(limit)
            """,
            logger: logger
        )
        var keys: [DirtyKey] = []
        for try await (tenant, course, dimension, value, mark) in rows.decode((String, String, String, String, Int64).self) {
            keys.append(DirtyKey(tenantId: tenant, courseId: course, dimension: dimension, value: value, mark: mark))
        }
        return keys
    }

    /// The course summaries and compliance groups among `keys`.
    package func reports(of keys: [DirtyKey]) -> (courses: [CourseKey], groups: [ComplianceKey]) {
        var courses: [CourseKey] = []
        var groups: [ComplianceKey] = []
        for key in keys {
            if let dimension = ComplianceDimension(rawValue: key.dimension) {
                groups.append(ComplianceKey(tenantId: key.tenantId, courseId: key.courseId, dimension: dimension, value: key.value))
            } else {
                courses.append(CourseKey(tenantId: key.tenantId, courseId: key.courseId))
            }
        }
        return (courses, groups)
    }

    /// Deletes the `published` keys that are as the publisher read them. A key marked again since
    /// (its mark moved on, or a running transaction is marking it: skipped, not waited for) stays
    /// dirty, so the change that marked it is published by a later tick.
    package func clear(_ published: [DirtyKey], on connection: PostgresConnection) async throws {
        guard !published.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM dirty_reports d
            USING (SELECT r.tenant_id, r.course_id, r.dimension, r.value
                   FROM dirty_reports r
                   JOIN unnest(\(published.map(\.tenantId))::text[], \(published.map(\.courseId))::text[],
                               \(published.map(\.dimension))::text[], \(published.map(\.value))::text[], \(published.map(\.mark))::int8[])
                        AS p(tenant_id, course_id, dimension, value, mark)
                     ON r.tenant_id = p.tenant_id AND r.course_id = p.course_id AND r.dimension = p.dimension
                    AND r.value = p.value AND r.mark = p.mark
                   ORDER BY 1, 2, 3, 4
                   FOR UPDATE OF r SKIP LOCKED) AS c
            WHERE d.tenant_id = c.tenant_id AND d.course_id = c.course_id AND d.dimension = c.dimension AND d.value = c.value
            """,
            logger: logger
        )
    }
}
