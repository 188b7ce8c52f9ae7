import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServicePlatform
import TestSupport
import Testing

/// The HTTP edge of a service as `ServiceApplication` builds it, over real sockets: body limits
/// before buffering and a 413 that reaches clients which send everything first (L2, L3), the
/// idle timeout (L4), write rate limits, and the scheduled `Idempotency-Key` prune (M3).
@Suite("HTTP edge", .serialized, .hangGuard)
struct HTTPEdgeTests {
    /// A service with one JSON route (`POST /v1/things`, standard 1 MiB) and one bulk route
    /// (`POST /v1/things:bulk`, 4 MiB) that reads its body in full.
    private static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "edge-service",
            defaultPort: 0,
            schema: "edge",
            migrations: [],
            openAPIDocument: Array(#"{"openapi":"3.1.0","info":{"title":"edge","version":"1"},"paths":{}}"#.utf8),
            bodyLimits: BodyLimits(routes: ["/v1/things:bulk": 4 << 20])
        ) { _, router in
            router.post("/v1/things") { request, context -> EditedResponse<TestApp.Echo> in
                try context.require(anyOf: .admin)
                return EditedResponse(status: .created, response: try await request.decode(as: TestApp.Echo.self, context: context))
            }
            router.post("/v1/things:bulk") { request, context -> String in
                try context.require(anyOf: .admin)
                var request = request
                return "\(try await request.collectBody(upTo: .max).readableBytes)"
            }
            return []
        }
    }

    private func token(_ subject: String = "admin-1", tenant: String = "acme") -> String {
        JWTVerification.mintHS256(subject: subject, tenant: tenant, roles: [.admin], secret: ServiceHarness.secret, expiresIn: 600)
    }

    /// Runs the service with `edge` settings.
    private func withService(edge: HTTPEdgeSettings = HTTPEdgeSettings(), _ body: @Sendable (ServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(Self.definition, schemaPrefix: "edge", edge: edge, body)
    }

    private func postHead(_ path: String, length: Int?, extra: String = "", close: Bool = true) -> String {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token())\r\nContent-Type: application/json\r\n"
        head += length.map { "Content-Length: \($0)\r\n" } ?? "Transfer-Encoding: chunked\r\n"
        if close { head += "Connection: close\r\n" }
        return head + extra + "\r\n"
    }

    @Test("A 20 MiB body sent whole before reading gets its 413 at once, and the connection closes")
    func oversizedBodyGets413AndClose() async throws {
        try await withService { service in
            let connection = RawHTTPConnection(port: service.port)
            let size = 20 << 20
            // Content-Length over the route's limit: refused before the body is read.
            let declared = await connection.exchange(head: postHead("/v1/things", length: size), bodyBytes: size)
            #expect(declared.sentAll, "the server read (and dropped) the body instead of stalling the client")
            #expect(declared.statusLine.hasPrefix("HTTP/1.1 413"), "\(declared.received.prefix(300))")
            #expect(declared.received.lowercased().contains("connection: close"))
            #expect(declared.received.contains("1048576 bytes"), "the route's 1 MiB limit applies: \(declared.received)")
            #expect(declared.closedByServer)
            #expect(declared.elapsed < .seconds(10))

            // Chunked (no length): the limit fails the reader once 1 MiB has arrived.
            let chunked = await connection.exchange(head: postHead("/v1/things", length: nil), bodyBytes: size, chunked: true)
            #expect(chunked.sentAll)
            #expect(chunked.statusLine.hasPrefix("HTTP/1.1 413"), "\(chunked.received.prefix(300))")
            #expect(chunked.closedByServer)

            // A keyed write is limited by its route too, not by a larger idempotency buffer.
            let keyed = await connection.exchange(
                head: postHead("/v1/things", length: nil, extra: "Idempotency-Key: big-1\r\n"),
                bodyBytes: 3 << 20,
                chunked: true
            )
            #expect(keyed.statusLine.hasPrefix("HTTP/1.1 413"))
            #expect(keyed.received.contains("1048576 bytes"), "\(keyed.received)")

            // The bulk route accepts its larger limit, and refuses beyond it.
            let bulk = await connection.exchange(head: postHead("/v1/things:bulk", length: 3 << 20), bodyBytes: 3 << 20)
            #expect(bulk.statusLine.hasPrefix("HTTP/1.1 200"), "\(bulk.received.prefix(300))")
            let tooBig = await connection.exchange(head: postHead("/v1/things:bulk", length: 5 << 20), bodyBytes: 5 << 20)
            #expect(tooBig.statusLine.hasPrefix("HTTP/1.1 413"))
            #expect(tooBig.received.contains("4194304 bytes"))
        }
    }

    @Test("A connection whose request head never completes is closed after the idle timeout")
    func idleTimeoutClosesSlowHeads() async throws {
        var edge = HTTPEdgeSettings()
        edge.idleTimeout = .milliseconds(300)
        try await withService(edge: edge) { service in
            let slow = await RawHTTPConnection(port: service.port, timeoutSeconds: 10)
                .exchange(head: "POST /v1/things HTTP/1.1\r\nHost: 127.0.0.1\r\n", stopAfterHead: true)
            #expect(slow.closedByServer)
            #expect(slow.elapsed < .seconds(5))
        }
    }

    @Test("Writes over a caller's or a tenant's rate get 429 with Retry-After")
    func writeRateLimits() async throws {
        var edge = HTTPEdgeSettings()
        edge.subjectWritesPerSecond = 0.001
        edge.subjectWriteBurst = 2
        edge.tenantWritesPerSecond = 0.001
        edge.tenantWriteBurst = 3
        try await withService(edge: edge) { service in
            let http = service.http
            let body = #"{"name":"n","count":1}"#
            #expect(try await http.send("POST", "/v1/things", token: token("a"), body: body).status == 201)
            #expect(try await http.send("POST", "/v1/things", token: token("a"), body: body).status == 201)
            let caller = try await http.send("POST", "/v1/things", token: token("a"), body: body)
            #expect(caller.status == 429)
            #expect(caller.json.string("type") == "https://lms.example/problems/too-many-requests")
            #expect(Int(caller.header("Retry-After") ?? "") ?? 0 >= 1)
            #expect(caller.json.string("detail")?.contains("by this caller") == true)
            #expect(try await http.send("POST", "/v1/things", token: token("b"), body: body).status == 201, "another caller")
            let tenant = try await http.send("POST", "/v1/things", token: token("c"), body: body)
            #expect(tenant.status == 429)
            #expect(tenant.json.string("detail")?.contains("in this tenant") == true)
            #expect(try await http.send("POST", "/v1/things", token: token("c", tenant: "globex"), body: body).status == 201)
            #expect(try await http.send("GET", "/health/live").status == 200, "reads are not limited")
        }
    }

    @Test("Each service process prunes Idempotency-Key answers older than the retention")
    func idempotencyKeysArePruned() async throws {
        var edge = HTTPEdgeSettings()
        edge.idempotencyPruneInterval = .milliseconds(100)
        try await withService(edge: edge) { service in
            let (http, database) = (service.http, service.database.client)
            let fresh = try await http.send(
                "POST",
                "/v1/things",
                token: token(),
                body: #"{"name":"n","count":1}"#,
                headers: ["Idempotency-Key": "fresh"]
            )
            #expect(fresh.status == 201)
            try await database.query(
                """
                INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, body, created_at, completed_at)
                VALUES ('acme', 'old', 'x', 201, 'secret profile'::bytea, now() - interval '25 hours', now() - interval '25 hours')
                """,
                logger: Logger(label: "http-edge-test")
            )
            var keys: [String] = ["old"]
            let deadline = ContinuousClock.now + .seconds(20)
            while keys.contains("old"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                keys = []
                for try await key in try await database.query("SELECT key FROM idempotency_keys", logger: Logger(label: "t")).decode(String.self) {
                    keys.append(key)
                }
            }
            #expect(keys == ["fresh"])
        }
    }
}
