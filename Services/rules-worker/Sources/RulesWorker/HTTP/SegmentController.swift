import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// `/v1/segments`: admins define segments, preview criteria and list the users in a segment.
struct SegmentController: Sendable {
    let segments: SegmentCatalog

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/segments", use: create)
        router.get("/v1/segments", use: list)
        router.post("/v1/segments:preview", use: preview)
        router.get("/v1/segments/{segmentId}", use: show)
        router.put("/v1/segments/{segmentId}", use: update)
        router.get("/v1/segments/{segmentId}/members", use: members)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin)
        let input = try await request.decode(as: SegmentInput.self, context: context).validated()
        let created = try await segments.create(
            tenantId: identity.tenantId, name: input.name, description: input.description, criteria: input.criteria)
        let view = SegmentView(segment: created.segment, job: created.job)
        var response = try view.response(from: request, context: context)
        response.status = .created
        response.headers[.location] = "/v1/segments/\(view.segment.segmentId.lowercasedString)"
        return response
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Page<SegmentView> {
        let identity = try context.require(anyOf: .admin)
        let page = try PageRequest(request: request)
        let listed = try await segments.list(tenantId: identity.tenantId, after: try InputChecks.position(page.cursor), limit: page.fetchLimit)
        return Page(fetched: listed.map { SegmentView(segment: $0, job: nil) }, request: page) {
            Cursor(values: [$0.segment.name, $0.segment.segmentId.uuidString])
        }
    }

    @Sendable func preview(_ request: Request, context: AppRequestContext) async throws -> SegmentPreview {
        let identity = try context.require(anyOf: .admin)
        let input = try await request.decode(as: SegmentInput.self, context: context)
        let criteria = try input.validated(requireName: false).criteria
        return try await segments.preview(tenantId: identity.tenantId, criteria: criteria)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> SegmentView {
        let identity = try context.require(anyOf: .admin)
        let id = try segmentId(context)
        let found = try await segments.segment(tenantId: identity.tenantId, segmentId: id)
        return SegmentView(segment: found.segment, job: found.job)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> SegmentView {
        let identity = try context.require(anyOf: .admin)
        let id = try segmentId(context)
        let input = try await request.decode(as: SegmentInput.self, context: context).validated()
        let updated = try await segments.update(
            tenantId: identity.tenantId, segmentId: id, name: input.name, description: input.description, criteria: input.criteria)
        return SegmentView(segment: updated.segment, job: updated.job)
    }

    @Sendable func members(_ request: Request, context: AppRequestContext) async throws -> Page<SegmentMember> {
        let identity = try context.require(anyOf: .admin)
        let id = try segmentId(context)
        let page = try PageRequest(request: request)
        let members = try await segments.members(tenantId: identity.tenantId, segmentId: id, after: page.cursor?.values.first, limit: page.fetchLimit)
        return Page(fetched: members, request: page) { Cursor(values: [$0.userId]) }
    }

    private func segmentId(_ context: AppRequestContext) throws -> UUID {
        try InputChecks.id(try context.parameters.require("segmentId"), what: "Segment")
    }
}
