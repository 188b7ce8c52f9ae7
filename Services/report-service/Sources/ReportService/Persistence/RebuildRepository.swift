import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The `report_rebuilds`, `report_rebuild_sources` and `report_rebuild_pages` tables.
package struct RebuildRepository: Sendable {
    let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    /// The tenant's running rebuild, if there is one, and whether it has waited longer than
    /// ``ReportRebuild/abandonAfter`` (by the database's clock, which stamps `requested_at`).
    /// Callers serialise on ``lockTenant(_:on:)`` first: two requests must not both find none.
    package func running(tenantId: String, on connection: PostgresConnection) async throws -> (id: UUID, stale: Bool)? {
        let rows = try await connection.query(
            """
            SELECT rebuild_id, requested_at < now() - make_interval(secs => \(ReportRebuild.abandonAfter))
            FROM report_rebuilds WHERE tenant_id = \(tenantId) AND status = 'running'
            """,
            logger: logger
        )
        for try await (id, stale) in rows.decode((UUID, Bool).self) { return (id, stale) }
        return nil
    }

    /// Serialises the starts of the tenant's rebuilds (a transaction-scoped advisory lock).
    package func lockTenant(_ tenantId: String, on connection: PostgresConnection) async throws {
        try await AdvisoryLocks.lock(["reports.rebuild/\(tenantId)"], on: connection, logger: logger)
    }

    /// Records a new running rebuild, requested now (the database's clock, which also stamps the rows it confirms).
    package func insert(_ rebuildId: UUID, tenantId: String, requestedBy: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO report_rebuilds (rebuild_id, tenant_id, requested_by, requested_at, status)
            VALUES (\(rebuildId), \(tenantId), \(requestedBy), now(), 'running')
            """,
            logger: logger
        )
    }

    package func abandon(_ rebuildId: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE report_rebuilds SET status = 'abandoned', finished_at = now() WHERE rebuild_id = \(rebuildId)",
            logger: logger
        )
    }

    /// Locks a rebuild of `tenantId` for applying its pages; `nil` unless it is running. Every
    /// transaction applying a rebuild's pages takes this lock first, so the one that applies the
    /// last page sees all the others' and completes the rebuild.
    package func lockRunning(_ rebuildId: UUID, tenantId: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM report_rebuilds
            WHERE rebuild_id = \(rebuildId) AND tenant_id = \(tenantId) AND status = 'running'
            FOR UPDATE
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Records pages as applied; returns the ones not recorded before (a redelivered page is applied once).
    package func recordPages(
        _ pages: [(source: ResyncSource, page: Int, items: Int)],
        of rebuildId: UUID,
        on connection: PostgresConnection
    ) async throws -> Set<String> {
        guard !pages.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO report_rebuild_pages (rebuild_id, source, page, items)
            SELECT \(rebuildId), * FROM unnest(\(pages.map(\.source.rawValue))::text[], \(pages.map(\.page))::integer[],
                                               \(pages.map(\.items))::integer[])
            ON CONFLICT DO NOTHING
            RETURNING source, page
            """,
            logger: logger
        )
        var recorded: Set<String> = []
        for try await (source, page) in rows.decode((String, Int).self) { recorded.insert("\(source)/\(page)") }
        return recorded
    }

    package func recordCompletions(_ completions: [ResyncCompleted], of rebuildId: UUID, on connection: PostgresConnection) async throws {
        guard !completions.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO report_rebuild_sources (rebuild_id, source, pages, items)
            SELECT \(rebuildId), * FROM unnest(\(completions.map(\.source.rawValue))::text[], \(completions.map(\.pages))::integer[],
                                               \(completions.map(\.items))::integer[])
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
    }

    /// Marks the rebuild completed (its page records stay, for its status) and forgets the learners
    /// erased while it ran (see ``ReadModelRepository/applyResync(_:tenantId:rebuildId:on:)``).
    package func complete(_ rebuildId: UUID, tenantId: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE report_rebuilds SET status = 'completed', finished_at = now() WHERE rebuild_id = \(rebuildId)",
            logger: logger
        )
        try await connection.query("DELETE FROM report_rebuild_erasures WHERE tenant_id = \(tenantId)", logger: logger)
    }

    /// A rebuild of the tenant with what each source delivered, or `nil` (also for another tenant's).
    package func find(_ rebuildId: UUID, tenantId: String, on connection: PostgresConnection) async throws -> ReportRebuild? {
        let rows = try await connection.query(
            """
            SELECT r.rebuild_id::text, r.tenant_id, r.status, r.requested_by, r.requested_at, r.finished_at,
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('source', s.source, 'pages', s.pages)), '[]')::text
                    FROM report_rebuild_sources s WHERE s.rebuild_id = r.rebuild_id),
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('source', p.source, 'pages', p.pages, 'items', p.items)), '[]')::text
                    FROM (SELECT g.source, count(*)::int AS pages, sum(g.items)::int AS items FROM report_rebuild_pages g
                          LEFT JOIN report_rebuild_sources s ON s.rebuild_id = g.rebuild_id AND s.source = g.source
                          WHERE g.rebuild_id = r.rebuild_id AND g.page < coalesce(s.pages, 2147483647)
                          GROUP BY g.source) p)
            FROM report_rebuilds r
            WHERE r.rebuild_id = \(rebuildId) AND r.tenant_id = \(tenantId)
            """,
            logger: logger
        )
        for try await (id, tenant, status, requestedBy, requestedAt, finishedAt, completionsJSON, appliedJSON) in rows.decode(
            (String, String, String, String, Date, Date?, String, String).self
        ) {
            struct Delivered: Decodable {
                var source: ResyncSource
                var pages: Int
                var items: Int?
            }
            let completions = try DatabaseJSON.decode([Delivered].self, from: completionsJSON)
            let applied = try DatabaseJSON.decode([Delivered].self, from: appliedJSON)
            let sources = ResyncSource.allCases.map { source in
                let done = applied.first { $0.source == source }
                let completion = completions.first { $0.source == source }
                return ReportRebuild.SourceProgress(
                    source: source,
                    pagesApplied: done?.pages ?? 0,
                    itemsApplied: done?.items ?? 0,
                    pages: completion?.pages,
                    completed: completion.map { $0.pages == (done?.pages ?? 0) } ?? false
                )
            }
            return ReportRebuild(
                rebuildId: id,
                tenantId: tenant,
                status: ReportRebuild.Status(rawValue: status) ?? .running,
                requestedBy: requestedBy,
                requestedAt: requestedAt,
                finishedAt: finishedAt,
                sources: sources
            )
        }
        return nil
    }
}
