import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceHTTP
import TestSupport
import Testing

@Suite("Platform routes", .hangGuard)
struct PlatformRoutesTests {
    struct Readiness: Decodable {
        var status: String
        var checks: [String: String]
    }

    @Test("Liveness and the OpenAPI document")
    func liveAndOpenAPI() async throws {
        let app = try TestApp()
        try await Application(router: app.router()).test(.router) { client in
            let live = try await client.send("/health/live")
            #expect(live.status == .ok)
            #expect(live.text == #"{"status":"live"}"#)
            let document = try await client.send("/openapi.json")
            #expect(document.headers[.contentType] == "application/json")
            #expect(document.text == #"{"openapi":"3.1.0"}"#)
        }
    }

    @Test("Readiness is 200 when every check passes")
    func ready() async throws {
        let app = try TestApp()
        let checks = [ReadinessCheck(name: "postgres") { true }, ReadinessCheck(name: "kafka") { true }]
        try await Application(router: app.router(readiness: checks)).test(.router) { client in
            let response = try await client.send("/health/ready")
            #expect(response.status == .ok)
            let body = try response.json(Readiness.self)
            #expect(body.status == "ready")
            #expect(body.checks == ["postgres": "up", "kafka": "up"])
        }
    }

    @Test("Readiness is 503 naming failing and hanging checks")
    func notReady() async throws {
        let app = try TestApp()
        let checks = [
            ReadinessCheck(name: "postgres") { true },
            ReadinessCheck(name: "kafka") { false },
            // Never answers within the test's time limit: only an answer that does not wait for it ends the test.
            ReadinessCheck(name: "stuck") {
                try? await Task.sleep(for: .seconds(3600))
                return true
            },
        ]
        try await Application(router: app.router(readiness: checks)).test(.router) { client in
            let response = try await client.send("/health/ready")
            #expect(response.status == .serviceUnavailable)
            let body = try response.json(Readiness.self)
            #expect(body.status == "unavailable")
            #expect(body.checks == ["postgres": "up", "kafka": "down", "stuck": "down"])
        }
    }

    @Test("Metrics render request counters and duration histograms after a request")
    func metrics() async throws {
        let app = try TestApp()
        let router = app.router()
        router.get("/v1/metrics-probe/{id}") { _, _ -> HTTPResponse.Status in .noContent }
        try await Application(router: router).test(.router) { client in
            #expect(try await client.send("/v1/metrics-probe/123", token: adminToken()).status == .noContent)
            let response = try await client.send("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = response.text.split(separator: "\n")
            #expect(
                lines.contains {
                    $0.hasPrefix("http_requests_total{") && $0.contains(#"route="/v1/metrics-probe/{id}""#) && $0.contains(#"status="204""#)
                        && $0.contains(#"method="GET""#)
                }
            )
            #expect(lines.contains { $0.hasPrefix("http_request_duration_seconds_count{") && $0.contains(#"route="/v1/metrics-probe/{id}""#) })
            #expect(!response.text.contains("metrics-probe/123"))
        }
    }

    @Test("X-Request-Id is echoed or generated; traceparent continues the caller's trace")
    func requestIdAndTrace() async throws {
        let app = try TestApp()
        try await Application(router: app.router()).test(.router) { client in
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let response = try await client.send(
                "/v1/me",
                token: adminToken(),
                headers: [.requestId: "req-123", .traceparent: incoming]
            )
            #expect(response.headers[.requestId] == "req-123")
            let me = try response.json(TestApp.WhoAmI.self)
            #expect(me.requestId == "req-123")
            let trace = try #require(me.traceparent.flatMap(TraceParent.init))
            #expect(trace.traceId == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(trace.parentId != "00f067aa0ba902b7")

            let generated = try await client.send("/v1/me", token: adminToken(), headers: [.requestId: "bad id\u{7}", .traceparent: "garbage"])
            let id = try #require(generated.headers[.requestId])
            #expect(id != "bad id\u{7}" && !id.isEmpty)
            let fresh = try generated.json(TestApp.WhoAmI.self)
            #expect(fresh.requestId == id)
            #expect(fresh.traceparent.flatMap(TraceParent.init) != nil)
        }
    }

    @Test("traceparent parsing follows W3C Trace Context")
    func traceParentFormat() {
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") != nil)
        #expect(TraceParent("00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01") == nil)
        #expect(TraceParent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") == nil)
        #expect(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
        #expect(TraceParent.random().description.count == 55)
    }
}
