import Crypto
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
        return try await storeAndReturn(response, tenantId: identity.tenantId, key: key, context: context)
    }

    private func storeAndReturn(_ response: Response, tenantId: String, key: String, context: Context) async throws -> Response {
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
            try await store.complete(tenantId: tenantId, key: key, response: stored)
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
