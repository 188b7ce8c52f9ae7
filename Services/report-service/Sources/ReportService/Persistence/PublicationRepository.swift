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

    /// Takes (deletes and returns) up to `limit` dirty keys, skipping those a running transaction
    /// is marking again (see ``ReadModelRepository/markDirty``).
    package func takeDirty(limit: Int, on connection: PostgresConnection) async throws -> (courses: [CourseKey], groups: [ComplianceKey]) {
        let rows = try await connection.query(
            """
            DELETE FROM dirty_reports d
            USING (SELECT tenant_id, course_id, dimension, value FROM dirty_reports
                   ORDER BY tenant_id, course_id, dimension, value LIMIT \(limit) FOR UPDATE SKIP LOCKED) AS t
            WHERE d.tenant_id = t.tenant_id AND d.course_id = t.course_id AND d.dimension = t.dimension AND d.value = t.value
            RETURNING d.tenant_id, d.course_id, d.dimension, d.value
            """,
            logger: logger
        )
        var courses: [CourseKey] = []
        var groups: [ComplianceKey] = []
        for try await (tenant, course, dimension, value) in rows.decode((String, String, String, String).self) {
            if let dimension = ComplianceDimension(rawValue: dimension) {
                groups.append(ComplianceKey(tenantId: tenant, courseId: course, dimension: dimension, value: value))
            } else {
                courses.append(CourseKey(tenantId: tenant, courseId: course))
            }
        }
        return (courses, groups)
    }
}
