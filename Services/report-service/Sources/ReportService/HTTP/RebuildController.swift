import Foundation
import Hummingbird
import ServiceHTTP

/// Report rebuilds of the caller's tenant: `POST /v1/reports:rebuild` starts one,
/// `GET /v1/reports/rebuilds/{rebuildId}` follows it. Open to the tenant's admins and to service
/// tokens with the scope `reports:rebuild`; nothing of another tenant is read or touched.
struct RebuildController: Sendable {
    let rebuilder: ReportRebuilder

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/reports:rebuild", use: start)
        router.get("/v1/reports/rebuilds/:rebuildId", use: show)
    }

    /// 202 with the rebuild and its `Location`; 409 while another rebuild of the tenant runs (one
    /// that has waited over an hour is abandoned instead).
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .reportsRebuild)
        let rebuild = try await rebuilder.start(tenantId: identity.tenantId, requestedBy: identity.userId, traceparent: context.traceparent)
        var response = try context.responseEncoder.encode(rebuild, from: request, context: context)
        response.status = .accepted
        response.headers[.location] = "/v1/reports/rebuilds/\(rebuild.rebuildId)"
        return response
    }

    /// The rebuild with what each source has delivered; 404 for an unknown id or another tenant's.
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .reportsRebuild)
        let text = try context.parameters.require("rebuildId")
        guard let rebuildId = UUID(uuidString: text) else { throw Problem.notFound("Rebuild \(text)") }
        guard let rebuild = try await rebuilder.rebuild(rebuildId, tenantId: identity.tenantId) else {
            throw Problem.notFound("Rebuild \(text)")
        }
        return try context.responseEncoder.encode(rebuild, from: request, context: context)
    }
}
