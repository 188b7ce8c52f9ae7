import Contracts
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `Idempotency-Key` support for authenticated writes (POST, PUT, PATCH, DELETE).
///
/// The first request with a key runs; its response (status, content type, body) is stored per
/// (tenant, key) and every repeat of the same request (same caller, method, URI and body) gets it
/// back with `Idempotent-Replayed: true`. A repeat while the first still runs is a 409 problem; the
/// key used for a different request is a 422 problem. Responses of 500 and above (and 408/429) are
/// not stored: the key is released so that a retry runs again. Install it after ``JWTAuthenticator``.
///
/// A successful answer marked `Cache-Control: no-store` carries a secret shown once (an enrollment
/// key, a link token): it is never stored. A repeat gets a 409 `secret-shown-once` problem instead,
/// so the request does not run twice and the secret is not kept in the database. A stored answer
/// remembers the user it concerns (the `{userId}` path parameter, or what the handler names through
/// ``IdempotencyNote``) so that erasing the user deletes it.
public struct IdempotencyMiddleware<Context: PlatformRequestContext>: RouterMiddleware {
    public static var maximumKeyLength: Int { 255 }

    public let store: IdempotencyStore
    /// Largest request body collected to fingerprint a keyed request.
    public let maximumBodySize: Int
    /// Larger responses are passed through without being stored (the key is released).
    public let maximumStoredResponseSize: Int

    public init(store: IdempotencyStore, maximumBodySize: Int = 32 << 20, maximumStoredResponseSize: Int = 8 << 20) {
        self.store = store
        self.maximumBodySize = maximumBodySize
        self.maximumStoredResponseSize = maximumStoredResponseSize
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard Self.isWrite(request.method), let key = request.headers[.idempotencyKey], let identity = context.identity else {
            return try await next(request, context)
        }
        guard (1...Self.maximumKeyLength).contains(key.count) else {
            throw Problem.badRequest(
                "The Idempotency-Key header is invalid.",
                errors: [FieldError(field: "Idempotency-Key", message: "must have 1-\(Self.maximumKeyLength) characters")]
            )
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw Problem.payloadTooLarge(limit: maximumBodySize)
        }
        let fingerprint = Self.fingerprint(request, userId: identity.userId, body: body)

        switch try await store.claim(tenantId: identity.tenantId, key: key, requestHash: fingerprint) {
        case .claimed:
            break
        case .inProgress:
            var problem = Problem.conflict("A request with this Idempotency-Key is still being processed; retry later.")
            problem.headers[.retryAfter] = "1"
            throw problem
        case .mismatch:
            throw Problem(
                slug: "idempotency-key-reused",
                title: "Idempotency-Key reused",
                status: .unprocessableContent,
                detail: "This Idempotency-Key was already used for a different request.",
                errors: [FieldError(field: "Idempotency-Key", message: "already used for a different request")]
            )
        case .completed(let stored):
            return Self.replay(stored)
        }

        let note = IdempotencyNote()
        context.idempotency = note
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem(mapping: error)
            guard Self.isStorable(problem.status) else {
                await release(identity.tenantId, key, context: context)
                throw error
            }
            response = try problem.response(from: request, context: context)
        }
        guard Self.isStorable(response.status) else {
            await release(identity.tenantId, key, context: context)
            return response
        }
        let subject = note.subjectUserId ?? context.parameters.get("userId")
        if Self.isSecretBearing(response) {
            return try await withholdAndReturn(response, tenantId: identity.tenantId, key: key, subject: subject, request: request, context: context)
        }
        return try await storeAndReturn(response, tenantId: identity.tenantId, key: key, subject: subject, context: context)
    }

    /// Stores, in place of a secret-bearing answer, the problem its repeats get.
    private func withholdAndReturn(
        _ response: Response,
        tenantId: String,
        key: String,
        subject: String?,
        request: Request,
        context: Context
    ) async throws -> Response {
        let problem = Self.secretShownOnce(status: response.status)
        do {
            let replacement = try problem.response(from: request, context: context)
            let body = try await ResponseBodyCollector.collect(replacement.body)
            let stored = IdempotentResponse(status: Int(problem.status.code), contentType: Problem.contentType, body: body)
            try await store.complete(tenantId: tenantId, key: key, response: stored, subjectUserId: subject)
        } catch {
            context.logger.error("Could not store the idempotent response", metadata: ["error": "\(String(reflecting: error))"])
        }
        return response
    }

    private func storeAndReturn(_ response: Response, tenantId: String, key: String, subject: String?, context: Context) async throws -> Response {
        var response = response
        let body: ByteBuffer
        do {
            body = try await ResponseBodyCollector.collect(response.body)
        } catch {
            await release(tenantId, key, context: context)
            throw error
        }
        response.body = ResponseBody(byteBuffer: body)
        if body.readableBytes > maximumStoredResponseSize {
            context.logger.warning(
                "Response too large to keep for Idempotency-Key replay; key released",
                metadata: ["bytes": "\(body.readableBytes)", "limit": "\(maximumStoredResponseSize)"]
            )
            await release(tenantId, key, context: context)
            return response
        }
        let stored = IdempotentResponse(status: Int(response.status.code), contentType: response.headers[.contentType], body: body)
        do {
            try await store.complete(tenantId: tenantId, key: key, response: stored, subjectUserId: subject)
        } catch {
            // The work is done; the client gets its answer. The key stays claimed until abandoned.
            context.logger.error("Could not store the idempotent response", metadata: ["error": "\(String(reflecting: error))"])
        }
        return response
    }

    private func release(_ tenantId: String, _ key: String, context: Context) async {
        do {
            try await store.release(tenantId: tenantId, key: key)
        } catch {
            context.logger.error("Could not release an Idempotency-Key", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    static func isWrite(_ method: HTTPRequest.Method) -> Bool {
        method == .post || method == .put || method == .patch || method == .delete
    }

    /// Server errors, timeouts and rate limiting say nothing about the request: a retry should run.
    static func isStorable(_ status: HTTPResponse.Status) -> Bool {
        status.code < 500 && status != .requestTimeout && status != .tooManyRequests
    }

    /// A successful answer the client must not store carries a secret shown only once.
    static func isSecretBearing(_ response: Response) -> Bool {
        guard (200..<300).contains(response.status.code), let cacheControl = response.headers[.cacheControl] else { return false }
        return cacheControl.lowercased().split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "no-store" }
    }

    /// What a repeat of a secret-bearing request answers.
    static func secretShownOnce(status: HTTPResponse.Status) -> Problem {
        Problem(
            slug: "secret-shown-once",
            title: "Secret shown once",
            status: .conflict,
            detail: "The request with this Idempotency-Key already succeeded (\(status.code)). Its answer carried a secret that is "
                + "shown only once and is not kept, so it cannot be repeated; list the resources to find what was created "
                + "(an enrollment key by its keyHint), revoke it if the secret was lost, and create a new one with a new key."
        )
    }

    /// SHA-256 over caller, method, URI and body, hex encoded.
    static func fingerprint(_ request: Request, userId: String, body: ByteBuffer) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("\(userId)\n\(request.method.rawValue)\n\(request.uri.description)\n".utf8))
        hasher.update(data: Array(body.readableBytesView))
        return Array(hasher.finalize()).hexString
    }

    static func replay(_ stored: IdempotentResponse) -> Response {
        var headers: HTTPFields = [.idempotentReplayed: "true", .contentLength: String(stored.body.readableBytes)]
        if let contentType = stored.contentType {
            headers[.contentType] = contentType
        }
        return Response(status: HTTPResponse.Status(code: stored.status), headers: headers, body: ResponseBody(byteBuffer: stored.body))
    }
}
