import Contracts
import Foundation
import Hummingbird
import ServiceHTTP

/// `POST /v1/self-enrollments` (`{courseId, key, profile}`) and `POST /v1/self-enrollments/links/{token}`
/// (`{profile}` optional): a learner enrolls itself. 201 with the new enrollment (`active` or
/// `waitlisted`), 200 with the existing one when already enrolled.
struct SelfEnrollmentController: Sendable {
    let selfEnrollment: SelfEnrollment

    func register(on router: Router<AppRequestContext>) {
        router.post("/v1/self-enrollments", use: enrollWithKey)
        router.post("/v1/self-enrollments/links/:token", use: enrollWithLink)
    }

    struct KeyInput: Decodable, Sendable {
        var courseId: String
        var key: String
        var profile: [String: JSONValue]?
    }

    struct LinkInput: Decodable, Sendable {
        var profile: [String: JSONValue]?
    }

    @Sendable func enrollWithKey(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<EnrollmentView> {
        let identity = try context.require(anyOf: .learner)
        let input = try await request.decode(as: KeyInput.self, context: context)
        var errors = ValidationErrors()
        InputRules.checkIdentifier(input.courseId, field: "courseId", into: &errors)
        errors.check((1...256).contains(input.key.unicodeScalars.count), field: "key", message: "must have 1-256 characters")
        try errors.throwIfAny()
        let (record, created) = try await selfEnrollment.enroll(
            tenantId: identity.tenantId,
            userId: identity.userId,
            courseId: input.courseId,
            credential: .key(input.key),
            profile: input.profile ?? [:],
            traceparent: context.traceparent
        )
        return EditedResponse(status: created ? .created : .ok, response: EnrollmentView(record))
    }

    @Sendable func enrollWithLink(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<EnrollmentView> {
        let identity = try context.require(anyOf: .learner)
        let token = try context.parameters.require("token")
        let input = try await RequestBody.decodeOptional(LinkInput.self, from: request, context: context, empty: LinkInput())
        let link = try await selfEnrollment.link(token: token, tenantId: identity.tenantId)
        let (record, created) = try await selfEnrollment.enroll(
            tenantId: identity.tenantId,
            userId: identity.userId,
            courseId: link.courseId,
            credential: .link(link),
            profile: input.profile ?? [:],
            traceparent: context.traceparent
        )
        return EditedResponse(status: created ? .created : .ok, response: EnrollmentView(record))
    }
}
