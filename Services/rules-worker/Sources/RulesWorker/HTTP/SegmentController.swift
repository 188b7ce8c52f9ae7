import Foundation
import HTTPTypes
import Hummingbird
import ServiceHTTP

/// `/v1/segments`: admins define segments, preview criteria and list the users in a segment.
package struct SegmentController: Sendable {
    package let service: RulesService

    package func register(on router: Router<AppRequestContext>) {
        router.post("/v1/segments") { request, context -> Response in
            let identity = try context.require(anyOf: .admin)
            let input = try await request.decode(as: SegmentInput.self, context: context).validated()
            let view = try await service.createSegment(
                tenantId: identity.tenantId, name: input.name, description: input.description, criteria: input.criteria)
            var response = try view.response(from: request, context: context)
            response.status = .created
            response.headers[.location] = "/v1/segments/\(view.segment.segmentId.uuidString.lowercased())"
            return response
        }
        router.get("/v1/segments") { request, context -> Page<SegmentView> in
            let identity = try context.require(anyOf: .admin)
            return try await service.listSegments(tenantId: identity.tenantId, page: try PageRequest(request: request))
        }
        router.post("/v1/segments:preview") { request, context -> SegmentPreview in
            let identity = try context.require(anyOf: .admin)
            let input = try await request.decode(as: SegmentInput.self, context: context)
            let criteria = try input.validated(requireName: false).criteria
            return try await service.previewSegment(tenantId: identity.tenantId, criteria: criteria)
        }
        router.get("/v1/segments/{segmentId}") { _, context -> SegmentView in
            let identity = try context.require(anyOf: .admin)
            let id = try InputChecks.id(try context.parameters.require("segmentId"), what: "Segment")
            return try await service.segment(tenantId: identity.tenantId, segmentId: id)
        }
        router.put("/v1/segments/{segmentId}") { request, context -> SegmentView in
            let identity = try context.require(anyOf: .admin)
            let id = try InputChecks.id(try context.parameters.require("segmentId"), what: "Segment")
            let input = try await request.decode(as: SegmentInput.self, context: context).validated()
            return try await service.updateSegment(
                tenantId: identity.tenantId, segmentId: id, name: input.name, description: input.description, criteria: input.criteria)
        }
        router.get("/v1/segments/{segmentId}/members") { request, context -> Page<MemberView> in
            let identity = try context.require(anyOf: .admin)
            let id = try InputChecks.id(try context.parameters.require("segmentId"), what: "Segment")
            return try await service.segmentMembers(tenantId: identity.tenantId, segmentId: id, page: try PageRequest(request: request))
        }
    }
}
