import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

extension ReadModelRepository {
    /// Applies one source's re-announced facts: replaces rows at the same version too (a rebuild
    /// repairs rows), and confirms every row the owner still has, also those a newer live event
    /// already replaced. Items of learners erased since the rebuild started are dropped: the owner
    /// may have read them before the erasure.
    package func applyResync(_ items: ResyncItems, tenantId: String, rebuildId: UUID, on connection: PostgresConnection) async throws {
        let erased = try await erasedDuringRebuild(tenantId: tenantId, among: items.userIds, on: connection)
        switch items.droppingUsers(erased) {
        case .users(let users):
            try await applyUsers(snapshots: users, lifecycle: [], rule: .newerOrSame, on: connection)
            try await connection.query(
                """
                UPDATE report_users SET confirmed_at = now()
                WHERE tenant_id = \(tenantId) AND user_id = ANY(\(users.map(\.userId))::text[])
                """,
                logger: logger
            )
        case .courses(let courses):
            try await applyCourses(courses, rule: .newerOrSame, on: connection)
            try await connection.query(
                """
                UPDATE report_courses SET confirmed_at = now()
                WHERE tenant_id = \(tenantId) AND course_id = ANY(\(courses.map(\.courseId))::text[])
                """,
                logger: logger
            )
        case .enrollments(let enrollments):
            try await applyEnrollments(enrollments, rule: .newerOrSame, on: connection)
            try await confirmFacts(enrollments.map(\.enrollmentId), tenantId: tenantId, on: connection)
        case .progress(let progress):
            try await applyProgress(progress, rule: .newerOrSame, on: connection)
            try await confirmFacts(progress.map(\.enrollmentId), tenantId: tenantId, on: connection)
        }
    }

    private func erasedDuringRebuild(
        tenantId: String,
        among userIds: [String],
        on connection: PostgresConnection
    ) async throws
        -> Set<String>
    {
        guard !userIds.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT user_id FROM report_rebuild_erasures
            WHERE tenant_id = \(tenantId) AND user_id = ANY(\(Array(Set(userIds)))::text[])
            """,
            logger: logger
        )
        var erased: Set<String> = []
        for try await userId in rows.decode(String.self) { erased.insert(userId) }
        return erased
    }

    private func confirmFacts(_ ids: [UUID], tenantId: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE enrollment_facts SET confirmed_at = now() WHERE tenant_id = \(tenantId) AND enrollment_id = ANY(\(ids)::uuid[])",
            logger: logger
        )
    }

    /// Ends a tenant's rebuild: removes its rows that no owner re-announced or wrote since
    /// the rebuild was requested (facts the read model kept by mistake), and marks every report of the tenant
    /// dirty, so the publisher re-publishes all of them. The anonymous history of erased learners
    /// (`erased-<uuid>` rows, never re-announced) is kept.
    package func sweep(tenantId: String, rebuildId: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH gone AS (
                DELETE FROM enrollment_facts
                WHERE tenant_id = \(tenantId) AND confirmed_at < (SELECT requested_at FROM report_rebuilds WHERE rebuild_id = \(rebuildId)) AND user_id NOT LIKE 'erased-%'
                RETURNING tenant_id, course_id, user_id
            ), touched AS (
                SELECT tenant_id, course_id, user_id FROM gone
                UNION
                SELECT tenant_id, course_id, user_id FROM enrollment_facts WHERE tenant_id = \(tenantId)
            )
            \(unescaped: Self.markDirty)
            """,
            logger: logger
        )
        try await connection.query(
            """
            DELETE FROM report_users
            WHERE tenant_id = \(tenantId) AND confirmed_at < (SELECT requested_at FROM report_rebuilds WHERE rebuild_id = \(rebuildId)) AND user_id NOT LIKE 'erased-%'
            """,
            logger: logger
        )
        try await connection.query(
            "DELETE FROM report_courses WHERE tenant_id = \(tenantId) AND confirmed_at < (SELECT requested_at FROM report_rebuilds WHERE rebuild_id = \(rebuildId))",
            logger: logger
        )
    }
}
