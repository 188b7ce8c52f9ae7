import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServicePlatform

/// The routes every service serves outside `/v1`: liveness, readiness, Prometheus metrics and the
/// service's OpenAPI document. None of them requires a token.
public enum PlatformRoutes {
    /// Time each readiness check gets before it counts as failed.
    public static let readinessTimeout: Duration = .seconds(2)

    /// Adds `GET /health/live`, `GET /health/ready`, `GET /metrics` and `GET /openapi.json`.
    public static func register<Context: RequestContext>(
        on router: Router<Context>,
        readiness: [ReadinessCheck],
        openAPIDocument: [UInt8]
    ) {
        router.get("/health/live") { _, _ -> Response in
            json(["status": "live"], status: .ok)
        }
        router.get("/health/ready") { _, _ -> Response in
            let results = await run(readiness)
            let ready = results.values.allSatisfy { $0 }
            let body = ReadinessBody(
                status: ready ? "ready" : "unavailable",
                checks: results.mapValues { $0 ? "up" : "down" }
            )
            return json(body, status: ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ -> Response in
            let text = PlatformMetrics.render()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(text.utf8.count)],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
        let document = ByteBuffer(bytes: openAPIDocument)
        router.get("/openapi.json") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "application/json", .contentLength: String(document.readableBytes)],
                body: ResponseBody(byteBuffer: document)
            )
        }
    }

    /// ``register(on:readiness:openAPIDocument:)`` with the document as `Data`.
    public static func register<Context: RequestContext>(
        on router: Router<Context>,
        readiness: [ReadinessCheck],
        openAPIDocument: Data
    ) {
        register(on: router, readiness: readiness, openAPIDocument: [UInt8](openAPIDocument))
    }

    /// Runs every check concurrently, each limited to ``readinessTimeout``.
    static func run(_ checks: [ReadinessCheck]) async -> [String: Bool] {
        await withTaskGroup(of: (String, Bool).self) { group in
            for check in checks {
                group.addTask {
                    (check.name, await withTimeout(readinessTimeout, check.check))
                }
            }
            var results: [String: Bool] = [:]
            for await (name, passed) in group {
                results[name] = passed && (results[name] ?? true)
            }
            return results
        }
    }

    /// The check's answer, or false when it does not answer within `timeout`. A check that ignores
    /// cancellation keeps running in the background but no longer holds up the probe.
    private static func withTimeout(_ timeout: Duration, _ check: @escaping @Sendable () async -> Bool) async -> Bool {
        let answer = FirstAnswer()
        return await withCheckedContinuation { continuation in
            answer.install(continuation)
            let checkTask = Task { answer.resolve(await check()) }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                answer.resolve(false)
            }
            answer.onResolve {
                checkTask.cancel()
                timer.cancel()
            }
        }
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        // The bodies here are small dictionaries of strings; encoding them cannot fail.
        let bytes = (try? LMSJSON.encode(value)) ?? Array("{}".utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json", .contentLength: String(bytes.count)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    private struct ReadinessBody: Encodable {
        var status: String
        var checks: [String: String]
    }
}
