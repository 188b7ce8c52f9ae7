import Contracts
import Foundation
import Hummingbird
import ServiceHTTP
import ServicePlatform

/// The admin API under `/v1/users` (role `admin`; role `service` may create, replace and patch).
///
/// Every query is scoped to the token's tenant, so another tenant's user answers 404. Writes
/// change the user and enqueue its events in one transaction; `Idempotency-Key` is handled by
/// the platform middleware.
package struct UserController: Sendable {
    package let directory: UserDirectory
    package let clock: any ServiceClock

    /// Largest CSV body `POST /v1/users:import` reads.
    package static let maximumImportBytes = 64 << 20
    /// Most data rows one import may have.
    package static let maximumImportRows = 100_000

    package func register(on router: Router<AppRequestContext>) {
        router.post("/v1/users", use: create)
        router.get("/v1/users", use: list)
        router.post("/v1/users:import", use: importUsers)
        router.get("/v1/users/:userId", use: get)
        router.put("/v1/users/:userId", use: replace)
        router.patch("/v1/users/:userId", use: patch)
        router.delete("/v1/users/:userId", use: erase)
        // `{userId}:deactivate` is one path segment: a capture followed by a literal suffix.
        router.post("/v1/users/{userId}:deactivate", use: deactivate)
        router.post("/v1/users/{userId}:reactivate", use: reactivate)
    }

    // MARK: Handlers

    /// `POST /v1/users`: 201 with the user; 409 when the `userId` is taken.
    @Sendable package func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .usersWrite)
        var members = try await Self.jsonObject(request, context: context)
        var errors: [FieldError] = []
        let userId = Self.userId(members.removeValue(forKey: "userId"), errors: &errors)
        let profile = UserProfile.parse(members)
        if case .failure(let failure) = profile { errors += failure.errors }
        guard errors.isEmpty, let userId, let profile = try? profile.get() else { throw Problem.validation(errors) }
        context.idempotency?.concerns(userId: userId)
        let key = UserKey(tenantId: identity.tenantId, userId: userId)
        let result = try await perform(.create(profile), key, identity, context)
        return try Self.respond(result, key: key, request: request, context: context)
    }

    /// `GET /v1/users/{userId}`: the user, tombstones included.
    @Sendable package func get(_ request: Request, context: AppRequestContext) async throws -> UserResource {
        let identity = try context.require(anyOf: .admin)
        let key = UserKey(tenantId: identity.tenantId, userId: try Self.pathUserId(context))
        guard let record = try await directory.find(key) else { throw Problem.notFound("User \(key.userId)") }
        return UserResource(record)
    }

    /// `PUT /v1/users/{userId}`: creates (201) or replaces the whole profile (200).
    @Sendable package func replace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin, orServiceWith: .usersWrite)
        let key = UserKey(tenantId: identity.tenantId, userId: try Self.pathUserId(context))
        var members = try await Self.jsonObject(request, context: context)
        var errors = Self.checkPathUserId(members.removeValue(forKey: "userId"), key: key)
        if key.userId.unicodeScalars.count > 128 { errors.append(FieldError(field: "userId", message: "must be 1-128 characters")) }
        let profile = UserProfile.parse(members)
        if case .failure(let failure) = profile { errors += failure.errors }
        guard errors.isEmpty, let profile = try? profile.get() else { throw Problem.validation(errors) }
        let result = try await perform(.upsert(profile), key, identity, context)
        return try Self.respond(result, key: key, request: request, context: context)
    }

    /// `PATCH /v1/users/{userId}`: a JSON Merge Patch (`application/merge-patch+json` or JSON).
    @Sendable package func patch(_ request: Request, context: AppRequestContext) async throws -> UserResource {
        let identity = try context.require(anyOf: .admin, orServiceWith: .usersWrite)
        let key = UserKey(tenantId: identity.tenantId, userId: try Self.pathUserId(context))
        if let type = Self.mediaType(request), type != "application/merge-patch+json", type != "application/json" {
            throw Problem.unsupportedMediaType(["application/merge-patch+json", "application/json"])
        }
        var members = try await Self.jsonObject(request, context: context)
        let errors = Self.checkPathUserId(members.removeValue(forKey: "userId"), key: key)
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return try await Self.resource(perform(.patch(members), key, identity, context), key: key)
    }

    /// `POST /v1/users/{userId}:deactivate` with an optional `{"reason": "..."}`.
    @Sendable package func deactivate(_ request: Request, context: AppRequestContext) async throws -> UserResource {
        try await changeStatus(request, context: context) { .deactivate(reason: $0) }
    }

    /// `POST /v1/users/{userId}:reactivate` with an optional `{"reason": "..."}`.
    @Sendable package func reactivate(_ request: Request, context: AppRequestContext) async throws -> UserResource {
        try await changeStatus(request, context: context) { .reactivate(reason: $0) }
    }

    /// `DELETE /v1/users/{userId}`: erases the personal data and keeps a tombstone; 204.
    @Sendable package func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: .admin)
        let key = UserKey(tenantId: identity.tenantId, userId: try Self.pathUserId(context))
        let reason = request.uri.queryParameters["reason"].flatMap { $0.isEmpty ? nil : String($0) }
        if let reason, reason.unicodeScalars.count > 1024 {
            throw Problem.validation([FieldError(field: "reason", message: "must be at most 1024 characters")])
        }
        _ = try await perform(.erase(reason: reason, tombstoneIfUnknown: false), key, identity, context)
        return Response(status: .noContent)
    }

    /// `GET /v1/users?department=&location=&jobRole=&status=&limit=&cursor=`, ordered by `userId`.
    @Sendable package func list(_ request: Request, context: AppRequestContext) async throws -> Page<UserResource> {
        let identity = try context.require(anyOf: .admin)
        let filter = try UserListFilter(request: request)
        let page = try PageRequest(request: request)
        var after: String?
        if let cursor = page.cursor {
            guard cursor.values.count == 1 else {
                throw Problem.badRequest(
                    "Invalid paging parameters.",
                    errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")]
                )
            }
            after = cursor.values[0]
        }
        let records = try await directory.list(tenantId: identity.tenantId, filter: filter, after: after, limit: page.fetchLimit)
        return Page(fetched: records.map(UserResource.init), request: page) { Cursor(values: [$0.record.key.userId]) }
    }

    // MARK: Helpers

    private func changeStatus(
        _ request: Request,
        context: AppRequestContext,
        _ command: (String?) -> UserCommand
    ) async throws -> UserResource {
        let identity = try context.require(anyOf: .admin)
        let key = UserKey(tenantId: identity.tenantId, userId: try Self.pathUserId(context))
        var reason: String?
        if let members = try await Self.optionalJSONObject(request, context: context) {
            var errors: [FieldError] = []
            for name in members.keys.sorted() where name != "reason" {
                errors.append(FieldError(field: name, message: "is not a field of this request"))
            }
            switch members["reason"] {
            case nil, .null?: break
            case .string(let text)?:
                if text.unicodeScalars.count > 1024 { errors.append(FieldError(field: "reason", message: "must be at most 1024 characters")) }
                reason = text
            case _?:
                errors.append(FieldError(field: "reason", message: "must be a string"))
            }
            guard errors.isEmpty else { throw Problem.validation(errors) }
        }
        return try await Self.resource(perform(command(reason), key, identity, context), key: key)
    }

    /// Runs a command in its own transaction; its refusals answer as ``UserCommandError/problem``.
    package func perform(_ command: UserCommand, _ key: UserKey, _ identity: Identity, _ context: AppRequestContext) async throws -> UserWriteResult {
        try await directory.write(command, to: key, context: changeContext(identity, context))
    }

    package func changeContext(_ identity: Identity, _ context: AppRequestContext) -> UserChangeContext {
        UserChangeContext(
            actor: identity.userId,
            origin: .api,
            correlationId: context.requestId.isEmpty ? nil : context.requestId,
            traceparent: context.traceparent,
            time: clock.now()
        )
    }

    private static func resource(_ result: UserWriteResult, key: UserKey) throws -> UserResource {
        guard let record = result.record else { throw Problem.notFound("User \(key.userId)") }
        return UserResource(record)
    }

    /// 201 with `Location` for a created user, else 200.
    private static func respond(_ result: UserWriteResult, key: UserKey, request: Request, context: AppRequestContext) throws -> Response {
        let body = try resource(result, key: key)
        guard result.outcome == .created else { return try body.response(from: request, context: context) }
        let encoded = key.userId.addingPercentEncoding(withAllowedCharacters: pathSegmentCharacters) ?? key.userId
        return try EditedResponse(status: .created, headers: [.location: "/v1/users/\(encoded)"], response: body)
            .response(from: request, context: context)
    }

    private static let pathSegmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/:"))

    /// The `userId` of the path, percent-decoded.
    package static func pathUserId(_ context: AppRequestContext) throws -> String {
        let raw = try context.parameters.require("userId")
        let userId = raw.removingPercentEncoding ?? raw
        guard !userId.isEmpty else { throw Problem.notFound("User \(userId)") }
        return userId
    }

    /// The body's `userId` must be absent or equal to the path's.
    private static func checkPathUserId(_ value: JSONValue?, key: UserKey) -> [FieldError] {
        switch value {
        case nil: []
        case .string(let text)? where text == key.userId: []
        case _?: [FieldError(field: "userId", message: "must match the userId of the path (a userId cannot be changed)")]
        }
    }

    /// A required `userId` member: a string of 1-128 characters.
    private static func userId(_ value: JSONValue?, errors: inout [FieldError]) -> String? {
        switch value {
        case .string(let text)? where (1...128).contains(text.unicodeScalars.count):
            return text
        case .string?:
            errors.append(FieldError(field: "userId", message: "must be 1-128 characters"))
        case nil, .null?:
            errors.append(FieldError(field: "userId", message: "is required"))
        case _?:
            errors.append(FieldError(field: "userId", message: "must be a string"))
        }
        return nil
    }

    /// The media type of the body without parameters, lowercased; `nil` without `Content-Type`.
    package static func mediaType(_ request: Request) -> String? {
        guard let header = request.headers[.contentType] else { return nil }
        let type = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type?.isEmpty == false ? type : nil
    }

    /// The body as a JSON object: malformed JSON is a 400 problem, another JSON value a 422 one.
    package static func jsonObject(_ request: Request, context: AppRequestContext) async throws -> [String: JSONValue] {
        guard let members = try await optionalJSONObject(request, context: context) else {
            throw Problem.badRequest("The request body is empty.", errors: [FieldError(field: "body", message: "a JSON object is required")])
        }
        return members
    }

    /// Like ``jsonObject(_:context:)``, but `nil` for an empty body.
    package static func optionalJSONObject(_ request: Request, context: AppRequestContext) async throws -> [String: JSONValue]? {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let bytes = Array(body.readableBytesView)
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw Problem.badRequest("The request body is not valid JSON.", errors: [FieldError(field: "body", message: error.message)])
        }
        guard case .object(let members) = value else {
            throw Problem.validation([FieldError(field: "body", message: "must be a JSON object")])
        }
        return members
    }
}
