import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceHTTP
import ServicePlatform

/// Report rebuilds of the caller's tenant: `POST /v1/reports:rebuild` starts one,
/// `GET /v1/reports/rebuilds/{rebuildId}` follows it. Open to the tenant's admins and to service
/// tokens with the scope `reports:rebuild`; nothing of another tenant is read or touched.
struct RebuildController: Sendable {
    let database: ServiceDatabase
    let rebuilds: RebuildRepository
    let eventSource: String
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/reports:rebuild", use: start)
        router.get("/v1/reports/rebuilds/:rebuildId", use: show)
    }

    /// Asks the owners to re-announce the tenant's state (`lms.resync.requested`, through the
    /// outbox in the same transaction). 202 with the rebuild and its `Location`; 409 while another
    /// rebuild of the tenant runs (one that has waited over an hour is abandoned instead).
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .reportsRebuild)
        let rebuildId = UUID()
        let eventSource = eventSource
        let rebuilds = rebuilds
        let logger = logger
        let traceparent = context.traceparent
        try await database.transaction { connection in
            try await rebuilds.lockTenant(identity.tenantId, on: connection)
            if let running = try await rebuilds.running(tenantId: identity.tenantId, on: connection) {
                guard running.stale else {
                    throw Problem.conflict(
                        "Rebuild \(running.id.uuidString.lowercased()) of this tenant is still running; follow it at /v1/reports/rebuilds/\(running.id.uuidString.lowercased())."
                    )
                }
                try await rebuilds.abandon(running.id, on: connection)
                logger.warning("Report rebuild abandoned", metadata: ["tenant": "\(identity.tenantId)", "rebuildId": "\(running.id)"])
            }
            try await rebuilds.insert(rebuildId, tenantId: identity.tenantId, requestedBy: identity.userId, on: connection)
            let request = ResyncRequest(tenantId: identity.tenantId, resyncId: rebuildId, requestedAt: Date())
            try await Outbox.enqueue(
                [try OutboxEvent(request, source: eventSource, traceparent: traceparent)],
                on: connection,
                logger: logger
            )
        }
        logger.notice("Report rebuild requested", metadata: ["tenant": "\(identity.tenantId)", "rebuildId": "\(rebuildId)"])
        let rebuild = try await database.client.withConnection { connection in
            try await rebuilds.find(rebuildId, tenantId: identity.tenantId, on: connection)
        }
        guard let rebuild else { throw Problem.notFound("Rebuild \(rebuildId.uuidString.lowercased())") }
        var response = try context.responseEncoder.encode(rebuild, from: request, context: context)
        response.status = .accepted
        response.headers[.location] = "/v1/reports/rebuilds/\(rebuildId.uuidString.lowercased())"
        return response
    }

    /// The rebuild with what each source has delivered; 404 for an unknown id or another tenant's.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .reportsRebuild)
        let text = try context.parameters.require("rebuildId")
        guard let rebuildId = UUID(uuidString: text) else { throw Problem.notFound("Rebuild \(text)") }
        let rebuild = try await database.client.withConnection { connection in
            try await rebuilds.find(rebuildId, tenantId: identity.tenantId, on: connection)
        }
        guard let rebuild else { throw Problem.notFound("Rebuild \(text)") }
        return try context.responseEncoder.encode(rebuild, from: request, context: context)
    }
}
