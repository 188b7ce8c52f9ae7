import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// `/v1/rules`: admins define rules, activate, pause and preview them. The custom methods
/// (`{id}:activate`, `{id}:pause`, `{id}:preview`) are routes whose last segment is the id
/// followed by a literal suffix.
struct RuleController: Sendable {
    let rules: RuleBook
    let segments: SegmentCatalog

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/rules", use: create)
        router.get("/v1/rules", use: list)
        router.get("/v1/rules/{ruleId}", use: show)
        router.put("/v1/rules/{ruleId}", use: update)
        router.post("/v1/rules/{ruleId}:activate", use: activate)
        router.post("/v1/rules/{ruleId}:pause", use: pause)
        router.post("/v1/rules/{ruleId}:preview", use: preview)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin)
        let input = try await request.decode(as: RuleInput.self, context: context)
        let definition = try await definition(input, tenantId: identity.tenantId)
        let view = RuleView(try await rules.create(tenantId: identity.tenantId, definition: definition))
        var response = try view.response(from: request, context: context)
        response.status = .created
        response.headers[.location] = "/v1/rules/\(view.rule.ruleId.lowercasedString)"
        return response
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Page<RuleView> {
        let identity = try context.require(anyOf: .admin)
        let page = try PageRequest(request: request)
        let listed = try await rules.list(tenantId: identity.tenantId, after: try InputChecks.position(page.cursor), limit: page.fetchLimit)
        return Page(fetched: listed.map { RuleView(($0.rule, $0.inEffect, nil)) }, request: page) {
            Cursor(values: [$0.rule.name, $0.rule.ruleId.uuidString])
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> RuleView {
        let identity = try context.require(anyOf: .admin)
        let id = try ruleId(context)
        return RuleView(try await rules.rule(tenantId: identity.tenantId, ruleId: id))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> RuleView {
        let identity = try context.require(anyOf: .admin)
        let id = try ruleId(context)
        let input = try await request.decode(as: RuleInput.self, context: context)
        let definition = try await definition(input, tenantId: identity.tenantId)
        return RuleView(try await rules.update(tenantId: identity.tenantId, ruleId: id, definition: definition))
    }

    @Sendable func activate(_ request: Request, context: AppRequestContext) async throws -> RuleView {
        let identity = try context.require(anyOf: .admin)
        let id = try ruleId(context)
        return RuleView(try await rules.activate(tenantId: identity.tenantId, ruleId: id))
    }

    @Sendable func pause(_ request: Request, context: AppRequestContext) async throws -> RuleView {
        let identity = try context.require(anyOf: .admin)
        let id = try ruleId(context)
        return RuleView(try await rules.pause(tenantId: identity.tenantId, ruleId: id))
    }

    /// The body is optional: without one the rule's current definition is previewed.
    @Sendable func preview(_ request: Request, context: AppRequestContext) async throws -> RulePreview {
        let identity = try context.require(anyOf: .admin)
        let id = try ruleId(context)
        var request = request
        let body = try await request.collectedBody(limit: context.maxUploadSize)
        var proposed: RuleDefinition?
        if body.readableBytes > 0 {
            let input = try LMSRequestDecoder.decode(RuleInput.self, from: body)
            proposed = try await definition(input, tenantId: identity.tenantId)
        }
        return try await rules.preview(tenantId: identity.tenantId, ruleId: id, proposed: proposed)
    }

    private func ruleId(_ context: AppRequestContext) throws -> UUID {
        try InputChecks.id(try context.parameters.require("ruleId"), what: "Rule")
    }

    private func definition(_ input: RuleInput, tenantId: String) async throws -> RuleDefinition {
        try await input.definition { segmentId in try await segments.exists(tenantId: tenantId, segmentId: segmentId) }
    }
}
