import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceHTTP
import ServicePlatform
import Synchronization
import Testing

/// A service-like router: the platform middleware stack plus routes exercising each feature.
struct TestApp {
    struct Echo: ResponseCodable, Sendable {
        var name: String
        var count: Int
    }

    struct Item: Codable, Sendable {
        var id: String
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String { "SELECT password_hash FROM users WHERE id = 'u-1' failed at Storage.swift:42" }
    }

    /// How often the counting handlers ran.
    let calls = CallCounter()

    let verification: JWTVerification

    init(verification: JWTVerification? = nil) throws {
        PlatformMetrics.bootstrap()
        self.verification = try verification ?? JWTVerification(hs256Secret: TestKeys.secret, rs256PublicKeyPEM: TestKeys.rsaPublicKeyPEM)
    }

    func router(
        idempotency: IdempotencyStore? = nil, readiness: [ReadinessCheck] = [], openAPIDocument: [UInt8]? = nil
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.addPlatformMiddleware(verification: verification, idempotency: idempotency, openAPIDocument: openAPIDocument)
        PlatformRoutes.register(on: router, readiness: readiness, openAPIDocument: Array(#"{"openapi":"3.1.0"}"#.utf8))

        router.get("/v1/me") { _, context -> WhoAmI in
            let identity = try context.requireIdentity()
            return WhoAmI(
                userId: identity.userId,
                tenantId: identity.tenantId,
                roles: identity.roles.map(\.rawValue).sorted(),
                requestId: context.requestId,
                traceparent: context.traceparent
            )
        }
        router.get("/v1/admin-only") { _, context -> HTTPResponse.Status in
            try context.require(anyOf: .admin)
            return .noContent
        }
        router.post("/v1/echo") { request, context -> Echo in
            try context.require(anyOf: .admin, .service)
            return try await request.decode(as: Echo.self, context: context)
        }
        router.post("/v1/bulk") { request, _ -> String in
            var request = request
            let body = try await request.collectBody(upTo: 1024)
            return "\(body.readableBytes)"
        }
        router.post("/v1/validate") { _, _ -> HTTPResponse.Status in
            var errors = ValidationErrors()
            errors.check(false, field: "title", message: "must not be empty")
            errors.check(true, field: "capacity", message: "must be positive")
            errors.check(false, field: "modules[1]", message: "unknown module")
            try errors.throwIfAny()
            return .noContent
        }
        router.get("/v1/conflict") { _, _ -> HTTPResponse.Status in
            throw Problem.conflict("The course is full.")
        }
        router.get("/v1/limited") { _, _ -> HTTPResponse.Status in
            throw Problem.tooManyRequests(retryAfter: 30)
        }
        router.get("/v1/courses/{courseId}") { _, context -> HTTPResponse.Status in
            throw Problem.notFound("Course \(context.parameters.get("courseId") ?? "")")
        }
        router.get("/v1/boom") { _, _ -> HTTPResponse.Status in
            throw Refusal()
        }
        router.get("/v1/items") { request, _ -> Page<Item> in
            let page = try PageRequest(request: request)
            let all = (1...7).map { Item(id: String(format: "item-%02d", $0)) }
            let after = page.cursor?.values.first ?? ""
            let rows = Array(all.filter { $0.id > after }.prefix(page.fetchLimit))
            return Page(fetched: rows, request: page) { Cursor(values: [$0.id]) }
        }
        router.post("/v1/counter") { request, context -> Response in
            let identity = try context.requireIdentity()
            let call = calls.next()
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let text = #"{"call":\#(call),"tenant":"\#(identity.tenantId)","bytes":\#(body.readableBytes)}"#
            return Response(
                status: .created,
                headers: [.contentType: "application/json", .location: "/v1/things/\(call)"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
        router.post("/v1/flaky") { _, _ -> Response in
            let call = calls.next()
            if call == 1 { throw Refusal() }
            return Response(status: .created, body: ResponseBody(byteBuffer: ByteBuffer(string: "call \(call)")))
        }
        router.post("/v1/invalid-once") { _, _ -> HTTPResponse.Status in
            calls.next()
            throw Problem.validation([FieldError(field: "title", message: "must not be empty")])
        }
        return router
    }

    struct WhoAmI: ResponseCodable {
        var userId: String
        var tenantId: String
        var roles: [String]
        var requestId: String
        var traceparent: String?
    }
}

/// Counts handler runs across concurrent requests.
final class CallCounter: Sendable {
    private let count = Mutex(0)

    var value: Int { count.withLock { $0 } }

    @discardableResult
    func next() -> Int {
        count.withLock { count in
            count += 1
            return count
        }
    }
}

/// Request helpers.
extension TestClientProtocol {
    func send(
        _ uri: String,
        method: HTTPRequest.Method = .get,
        token: String? = nil,
        headers: HTTPFields = [:],
        body: String? = nil
    ) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

/// A problem+json body as clients see it.
struct ProblemBody: Decodable, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldError]?
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a problem, after checking the content type.
    func problem(sourceLocation: SourceLocation = #_sourceLocation) throws -> ProblemBody {
        #expect(headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let problem = try JSONDecoder().decode(ProblemBody.self, from: Data(text.utf8))
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        return problem
    }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

/// A valid admin token of tenant `acme`.
func adminToken(tenant: String = "acme", roles: [Role] = [.admin]) -> String {
    JWTVerification.mintHS256(subject: "admin-1", tenant: tenant, roles: roles, secret: TestKeys.secret)
}
