import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Starts report rebuilds of one tenant and shows their progress (see ``ReportRebuild``).
package struct ReportRebuilder: Sendable {
    let database: ServiceDatabase
    let rebuilds: RebuildRepository
    let eventSource: String
    let logger: Logger

    /// Records a running rebuild of the tenant and asks the owners to re-announce its state
    /// (`lms.resync.requested`, through the outbox in the same transaction); returns it as it stands
    /// after the commit. Throws ``ReportError/rebuildRunning(_:)`` while another rebuild of the
    /// tenant runs; one that has waited longer than ``ReportRebuild/abandonAfter`` is abandoned instead.
    package func start(tenantId: String, requestedBy: String, traceparent: String?) async throws -> ReportRebuild {
        let rebuildId = UUID()
        let (rebuilds, eventSource, logger) = (rebuilds, eventSource, logger)
        try await database.transaction { connection in
            try await rebuilds.lockTenant(tenantId, on: connection)
            if let running = try await rebuilds.running(tenantId: tenantId, on: connection) {
                guard running.stale else { throw ReportError.rebuildRunning(running.id) }
                try await rebuilds.abandon(running.id, on: connection)
                logger.warning("Report rebuild abandoned", metadata: ["tenant": "\(tenantId)", "rebuildId": "\(running.id)"])
            }
            try await rebuilds.insert(rebuildId, tenantId: tenantId, requestedBy: requestedBy, on: connection)
            let request = ResyncRequest(tenantId: tenantId, resyncId: rebuildId, requestedAt: Date())
            try await Outbox.enqueue(
                [try OutboxEvent(request, source: eventSource, traceparent: traceparent)],
                on: connection,
                logger: logger
            )
        }
        logger.notice("Report rebuild requested", metadata: ["tenant": "\(tenantId)", "rebuildId": "\(rebuildId)"])
        guard let rebuild = try await rebuild(rebuildId, tenantId: tenantId) else { throw ReportError.rebuildNotFound(rebuildId) }
        return rebuild
    }

    /// A rebuild of the tenant with what each source has delivered; `nil` for an unknown id or another tenant's.
    package func rebuild(_ rebuildId: UUID, tenantId: String) async throws -> ReportRebuild? {
        try await database.client.withConnection { connection in
            try await rebuilds.find(rebuildId, tenantId: tenantId, on: connection)
        }
    }
}
