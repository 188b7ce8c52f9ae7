import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.resync.v1` to the tenant rebuilds in progress: each page's facts replace the
/// tenant's rows in place (``ReadModelWriter/applyResync(_:tenantId:on:)``); once every source has
/// announced its completion and all its pages are applied, the rebuild ends with the sweep
/// (``ReadModelWriter/sweep(tenantId:rebuildId:on:)``). Pages of a rebuild that is not running
/// (finished, abandoned, another tenant's) are ignored.
package struct ReportResyncHandler: EventHandler {
    let writer: ReadModelWriter
    let rebuilds: RebuildRepository
    let logger: Logger

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var pages: [UUID: [ResyncPage]] = [:]
        var completions: [UUID: [ResyncCompleted]] = [:]
        var tenants: [UUID: String] = [:]
        for consumed in events {
            do throws(EventRejection) {
                switch consumed.event.type {
                case .resyncPage:
                    let page = try consumed.payload(ResyncPage.self)
                    pages[page.resyncId, default: []].append(page)
                    tenants[page.resyncId] = page.tenantId
                case .resyncCompleted:
                    let completion = try consumed.payload(ResyncCompleted.self)
                    completions[completion.resyncId, default: []].append(completion)
                    tenants[completion.resyncId] = completion.tenantId
                default:
                    throw EventRejection(
                        eventId: consumed.event.id,
                        errorClass: "unknown-type",
                        message: "not a resync event: \(consumed.event.type)"
                    )
                }
            } catch {
                rejections.append(error)
            }
        }
        for (rebuildId, tenantId) in tenants.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard try await rebuilds.lockRunning(rebuildId, tenantId: tenantId, on: connection) else { continue }
            let delivered = (pages[rebuildId] ?? []).filter { $0.tenantId == tenantId }
            let fresh = try await rebuilds.recordPages(
                delivered.map { ($0.source, $0.page, $0.items.count) },
                of: rebuildId,
                on: connection
            )
            for page in delivered where fresh.contains("\(page.source.rawValue)/\(page.page)") {
                try await writer.applyResync(page.items, tenantId: tenantId, on: connection)
            }
            try await rebuilds.recordCompletions(
                (completions[rebuildId] ?? []).filter { $0.tenantId == tenantId },
                of: rebuildId,
                on: connection
            )
            guard let rebuild = try await rebuilds.find(rebuildId, tenantId: tenantId, on: connection),
                rebuild.sources.allSatisfy(\.completed)
            else { continue }
            try await writer.sweep(tenantId: tenantId, rebuildId: rebuildId, on: connection)
            try await rebuilds.complete(rebuildId, on: connection)
            logger.notice(
                "Report rebuild completed",
                metadata: [
                    "tenant": "\(tenantId)", "rebuildId": "\(rebuildId)",
                    "items": "\(rebuild.sources.map(\.itemsApplied).reduce(0, +))",
                ]
            )
        }
        return rejections
    }
}
