import Contracts
import Foundation
import Logging
import PostgresNIO

/// Answers `lms.resync.requested` for the sources this service owns: re-announces a tenant's current
/// facts on `lms.resync.v1` in numbered pages, then one `lms.resync.completed` per source with the
/// page count, all through the outbox in the consuming transaction, so the answer is complete and
/// published exactly when the request is marked consumed. Requests for sources it does not own are
/// left to their owners.
public struct ResyncResponder: EventHandler {
    /// The largest encoded page; a page over it is split (the consumers' limit is 256 KiB).
    static let maximumPageBytes = 192 * 1024

    let providers: [any ResyncProvider]
    let eventSource: String
    let logger: Logger

    public init(providers: [any ResyncProvider], eventSource: String, logger: Logger) {
        self.providers = providers
        self.eventSource = eventSource
        self.logger = logger
    }

    public func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(ResyncRequest.self)
        for item in batch.items {
            for provider in providers where item.payload.sources.contains(provider.source) {
                try await answer(item.payload, from: provider, traceparent: item.traceparent, on: connection)
            }
        }
        return batch.rejections
    }

    private func answer(
        _ request: ResyncRequest,
        from provider: any ResyncProvider,
        traceparent: String?,
        on connection: PostgresConnection
    ) async throws {
        var pending: [OutboxEvent] = []
        var pages = 0
        var items = 0
        var dropped = 0
        func add(_ facts: ResyncItems) throws {
            let event = try OutboxEvent(
                ResyncPage(tenantId: request.tenantId, resyncId: request.resyncId, page: pages, items: facts),
                source: eventSource,
                traceparent: traceparent
            )
            if event.event.data.count > Self.maximumPageBytes && facts.count > 1 {
                let (first, second) = facts.halves()
                try add(first)
                try add(second)
                return
            }
            pending.append(event)
            pages += 1
            items += facts.count
        }
        try await provider.facts(tenantId: request.tenantId, pageSize: ResyncPage.maximumItems, on: connection) { facts in
            let checked = facts.keepingValid(tenantId: request.tenantId)
            dropped += checked.dropped
            guard checked.items.count > 0 else { return }
            try add(checked.items)
            if pending.count >= 16 {
                try await Outbox.enqueue(pending, on: connection, logger: logger)
                pending.removeAll(keepingCapacity: true)
            }
        }
        pending.append(
            try OutboxEvent(
                ResyncCompleted(
                    tenantId: request.tenantId,
                    resyncId: request.resyncId,
                    source: provider.source,
                    pages: pages,
                    items: items,
                    completedAt: Date()
                ),
                source: eventSource,
                traceparent: traceparent
            )
        )
        try await Outbox.enqueue(pending, on: connection, logger: logger)
        if dropped > 0 {
            logger.error(
                "Resync left out facts that break the contract",
                metadata: ["tenant": "\(request.tenantId)", "source": "\(provider.source.rawValue)", "count": "\(dropped)"]
            )
        }
        logger.notice(
            "Resync answered",
            metadata: [
                "tenant": "\(request.tenantId)", "resyncId": "\(request.resyncId)", "source": "\(provider.source.rawValue)",
                "pages": "\(pages)", "items": "\(items)",
            ]
        )
    }
}
