import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.resync.v1` to the tenant rebuilds in progress: each page's facts replace the
/// tenant's rows in place (``ReadModelRepository/applyResync(_:tenantId:on:)``); once every source has
/// announced its completion and all its pages are applied, the rebuild ends with the sweep
/// (``ReadModelRepository/sweep(tenantId:rebuildId:on:)``). Pages of a rebuild that is not running
/// (finished, abandoned, another tenant's) are ignored.
package struct ResyncEventHandler: EventHandler {
    let readModel: ReadModelRepository
    let rebuilds: RebuildRepository
    let logger: Logger

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode { consumed throws(EventRejection) -> ResyncAnswer in
            switch consumed.event.type {
            case .resyncPage:
                let page = try consumed.payload(ResyncPage.self)
                try Self.checkOwner(of: page.source, consumed)
                return .page(page)
            case .resyncCompleted:
                let completion = try consumed.payload(ResyncCompleted.self)
                try Self.checkOwner(of: completion.source, consumed)
                return .completion(completion)
            default:
                throw consumed.unexpectedType("a resync event")
            }
        }
        var pages: [RebuildKey: [ResyncPage]] = [:]
        var completions: [RebuildKey: [ResyncCompleted]] = [:]
        for answer in batch.payloads {
            switch answer {
            case .page(let page): pages[RebuildKey(id: page.resyncId, tenantId: page.tenantId), default: []].append(page)
            case .completion(let completion):
                completions[RebuildKey(id: completion.resyncId, tenantId: completion.tenantId), default: []].append(completion)
            }
        }
        for key in Set(pages.keys).union(completions.keys).sorted() {
            let (rebuildId, tenantId) = (key.id, key.tenantId)
            // Not running (finished, abandoned) or not this tenant's: ignored.
            guard try await rebuilds.lockRunning(rebuildId, tenantId: tenantId, on: connection) else { continue }
            let delivered = pages[key] ?? []
            let fresh = try await rebuilds.recordPages(
                delivered.map { ($0.source, $0.page, $0.items.count) },
                of: rebuildId,
                on: connection
            )
            for page in delivered where fresh.contains("\(page.source.rawValue)/\(page.page)") {
                try await readModel.applyResync(page.items, tenantId: tenantId, rebuildId: rebuildId, on: connection)
            }
            try await rebuilds.recordCompletions(completions[key] ?? [], of: rebuildId, on: connection)
            guard let rebuild = try await rebuilds.find(rebuildId, tenantId: tenantId, on: connection),
                rebuild.sources.allSatisfy(\.completed)
            else { continue }
            try await readModel.sweep(tenantId: tenantId, rebuildId: rebuildId, on: connection)
            try await rebuilds.complete(rebuildId, tenantId: tenantId, on: connection)
            logger.notice(
                "Report rebuild completed",
                metadata: [
                    "tenant": "\(tenantId)", "rebuildId": "\(rebuildId)",
                    "items": "\(rebuild.sources.map(\.itemsApplied).reduce(0, +))",
                ]
            )
        }
        return batch.rejections
    }

    /// A page or completion only counts from the owner of its source (`ce_source` `/lms/<owner>`):
    /// one service cannot rewrite another's facts. (Producer identity itself is the broker's ACLs.)
    static func checkOwner(of source: ResyncSource, _ consumed: ConsumedEvent) throws(EventRejection) {
        guard consumed.event.source == "/lms/\(source.owner)" else {
            throw EventRejection(
                eventId: consumed.event.id,
                errorClass: "wrong-source",
                message: "\(source.rawValue) are answered by \(source.owner), not \(consumed.event.source)"
            )
        }
    }
}

/// One event of `lms.resync.v1`: a page of an owner's facts, or an owner's completion.
enum ResyncAnswer: Sendable {
    case page(ResyncPage)
    case completion(ResyncCompleted)
}

/// A rebuild as its events name it: the id together with the tenant (a forged event naming the id
/// with another tenant is its own, unknown, rebuild and never holds back the real one's pages).
struct RebuildKey: Hashable, Comparable {
    var id: UUID
    var tenantId: String

    static func < (lhs: RebuildKey, rhs: RebuildKey) -> Bool {
        (lhs.id.uuidString, lhs.tenantId) < (rhs.id.uuidString, rhs.tenantId)
    }
}
