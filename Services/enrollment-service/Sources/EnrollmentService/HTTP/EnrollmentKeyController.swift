import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import ServiceHTTP
import ServicePlatform

/// Enrollment keys and links of a course: `POST/GET /v1/courses/{courseId}/enrollment-keys`,
/// `DELETE /v1/enrollment-keys/{keyId}`, `POST /v1/courses/{courseId}/enrollment-links`.
/// A key's secret (`key`) and a link's `token` appear only in the creation response, marked
/// `Cache-Control: no-store`: neither caches nor the `Idempotency-Key` store keep it.
struct EnrollmentKeyController: Sendable {
    /// The headers of an answer that carries a secret.
    static let secretHeaders: HTTPFields = [.cacheControl: "no-store"]

    let keys: EnrollmentKeys
    let access: CourseAccess
    let clock: any ServiceClock

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/courses/:courseId/enrollment-keys", use: createKey)
        router.get("/v1/courses/:courseId/enrollment-keys", use: listKeys)
        router.delete("/v1/enrollment-keys/:keyId", use: revokeKey)
        router.post("/v1/courses/:courseId/enrollment-links", use: createLink)
    }

    struct KeyInput: Decodable, Sendable {
        var label: String?
        var maxUses: Int?
        var expiresAt: Date?
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<KeyView> {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context)
        let input = try await request.decode(as: KeyInput.self, context: context)
        let now = clock.now()
        var errors = ValidationErrors()
        if let label = input.label { errors.check(label.unicodeScalars.count <= 256, field: "label", message: "must have at most 256 characters") }
        if let uses = input.maxUses { errors.check((1...Int(Int32.max)).contains(uses), field: "maxUses", message: "must be from 1 to \(Int32.max)") }
        if let expires = input.expiresAt { errors.check(expires > now, field: "expiresAt", message: "must be in the future") }
        try errors.throwIfAny()
        let secret = SecretToken.newKey()
        let record = EnrollmentKeyRecord(
            keyId: UUID(),
            tenantId: identity.tenantId,
            courseId: courseId,
            label: input.label,
            keyHash: SecretToken.hash(SecretToken.normalizedKey(secret)),
            keyHint: String(secret.suffix(4)),
            maxUses: input.maxUses,
            uses: 0,
            expiresAt: input.expiresAt,
            revokedAt: nil,
            createdBy: identity.userId,
            createdAt: now
        )
        try await keys.create(record)
        return EditedResponse(status: .created, headers: Self.secretHeaders, response: KeyView(record: record, secret: secret))
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> KeyList {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context)
        let found = try await keys.keys(of: CourseKey(tenantId: identity.tenantId, courseId: courseId))
        return KeyList(items: found.map { KeyView(record: $0, secret: nil) })
    }

    /// Revokes the key (204); it stays listed with `revokedAt`. Revoking twice is fine.
    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require(anyOf: .admin, .instructor)
        guard let keyId = UUID(uuidString: try context.parameters.require("keyId")) else { throw Problem.notFound("Enrollment key") }
        let caller = access.caller(identity, serviceScope: nil)
        try await keys.revoke(keyId, caller: caller)
        return .noContent
    }

    struct LinkInput: Decodable, Sendable {
        var maxUses: Int?
        var expiresAt: Date?
    }

    @Sendable func createLink(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<LinkView> {
        let courseId = try InputRules.pathIdentifier(try context.parameters.require("courseId"), resource: "Course")
        let identity = try await access.requireManager(courseId, context)
        let input = try await RequestBody.decodeOptional(LinkInput.self, from: request, context: context, empty: LinkInput())
        let now = clock.now()
        var errors = ValidationErrors()
        if let uses = input.maxUses { errors.check((1...Int(Int32.max)).contains(uses), field: "maxUses", message: "must be from 1 to \(Int32.max)") }
        if let expires = input.expiresAt { errors.check(expires > now, field: "expiresAt", message: "must be in the future") }
        try errors.throwIfAny()
        let token = SecretToken.newLinkToken()
        let record = EnrollmentLinkRecord(
            linkId: UUID(),
            tenantId: identity.tenantId,
            courseId: courseId,
            tokenHash: SecretToken.hash(token),
            maxUses: input.maxUses,
            uses: 0,
            expiresAt: input.expiresAt,
            createdBy: identity.userId,
            createdAt: now
        )
        try await keys.create(record)
        return EditedResponse(status: .created, headers: Self.secretHeaders, response: LinkView(record: record, token: token))
    }
}
