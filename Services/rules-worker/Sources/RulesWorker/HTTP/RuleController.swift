import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceHTTP

/// `/v1/rules`: admins define rules, activate, pause and preview them. The custom methods
/// (`{id}:activate`, `{id}:pause`, `{id}:preview`) are routes whose last segment is the id
/// followed by a literal suffix.
package struct RuleController: Sendable {
    package let service: RulesService

    package func register(on router: Router<AppRequestContext>) {
        router.post("/v1/rules") { request, context -> Response in
            let identity = try context.require(anyOf: .admin)
            let input = try await request.decode(as: RuleInput.self, context: context)
            let definition = try await definition(input, tenantId: identity.tenantId)
            let view = try await service.createRule(tenantId: identity.tenantId, definition: definition)
            var response = try view.response(from: request, context: context)
            response.status = .created
            response.headers[.location] = "/v1/rules/\(view.rule.ruleId.uuidString.lowercased())"
            return response
        }
        router.get("/v1/rules") { request, context -> Page<RuleView> in
            let identity = try context.require(anyOf: .admin)
            return try await service.listRules(tenantId: identity.tenantId, page: try PageRequest(request: request))
        }
        router.get("/v1/rules/{ruleId}") { _, context -> RuleView in
            let identity = try context.require(anyOf: .admin)
            return try await service.rule(tenantId: identity.tenantId, ruleId: try ruleId(context))
        }
        router.put("/v1/rules/{ruleId}") { request, context -> RuleView in
            let identity = try context.require(anyOf: .admin)
            let id = try ruleId(context)
            let input = try await request.decode(as: RuleInput.self, context: context)
            let definition = try await definition(input, tenantId: identity.tenantId)
            return try await service.updateRule(tenantId: identity.tenantId, ruleId: id, definition: definition)
        }
        router.post("/v1/rules/{ruleId}:activate") { _, context -> RuleView in
            let identity = try context.require(anyOf: .admin)
            return try await service.activateRule(tenantId: identity.tenantId, ruleId: try ruleId(context))
        }
        router.post("/v1/rules/{ruleId}:pause") { _, context -> RuleView in
            let identity = try context.require(anyOf: .admin)
            return try await service.pauseRule(tenantId: identity.tenantId, ruleId: try ruleId(context))
        }
        router.post("/v1/rules/{ruleId}:preview") { request, context -> RulePreview in
            let identity = try context.require(anyOf: .admin)
            let id = try ruleId(context)
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            var proposed: RuleDefinition?
            if body.readableBytes > 0 {
                let input = try LMSRequestDecoder.decode(RuleInput.self, from: body)
                proposed = try await definition(input, tenantId: identity.tenantId)
            }
            return try await service.previewRule(tenantId: identity.tenantId, ruleId: id, proposed: proposed)
        }
    }

    private func ruleId(_ context: AppRequestContext) throws -> UUID {
        try InputChecks.id(try context.parameters.require("ruleId"), what: "Rule")
    }

    private func definition(_ input: RuleInput, tenantId: String) async throws -> RuleDefinition {
        try await input.definition { segmentId in try await service.segmentExists(tenantId: tenantId, segmentId: segmentId) }
    }
}
