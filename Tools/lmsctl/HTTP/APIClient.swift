import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One service's HTTP API with a bearer token, over AsyncHTTPClient's shared client.
struct APIClient: Sendable {
    var baseURL: String
    var token: String?
    var service: ServiceName
    /// Whole-request timeout; large imports answer after minutes.
    var timeoutSeconds: Int64 = 900
    var connectTimeoutSeconds: Int64 = 5

    /// The HTTP methods lmsctl uses (keeps NIO's types inside this folder).
    enum Method: String, Sendable {
        case GET, POST, PUT, PATCH, DELETE
    }

    enum Body: Sendable {
        case none
        case json([UInt8])
        /// A body streamed in chunks so that `progress` sees each chunk as the connection takes it.
        case upload([UInt8], contentType: String, progress: ProgressReporter?)
    }

    func get(_ path: String, accept: String = "application/json") async throws(CLIError) -> APIResponse {
        try await send(.GET, path, accept: accept)
    }

    func send(
        _ method: Method, _ path: String, body: Body = .none, accept: String = "application/json", idempotencyKey: String? = nil
    ) async throws(CLIError) -> APIResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Accept", value: accept)
        request.headers.add(name: "User-Agent", value: "lmsctl")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        switch body {
        case .none:
            break
        case .json(let bytes):
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(bytes)
        case .upload(let bytes, let contentType, let progress):
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .stream(UploadChunks(bytes: bytes, progress: progress), length: .known(Int64(bytes.count)))
        }
        // A client of its own rather than HTTPClient.shared: the shared one keeps retrying a refused
        // connection for 90 s, and a CLI should say "cannot reach" within seconds.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(connectTimeoutSeconds))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let outcome: Result<APIResponse, any Error>
        do {
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            let buffer = try await response.body.collect(upTo: 1 << 30)
            outcome = .success(
                APIResponse(
                    status: Int(response.status.code), reason: response.status.reasonPhrase,
                    contentType: response.headers.first(name: "Content-Type"), body: Array(buffer.readableBytesView)))
        } catch {
            outcome = .failure(error)
        }
        try? await client.shutdown()
        switch outcome {
        case .success(let response):
            return response
        case .failure(let error):
            throw CLIError(
                "error: cannot reach \(service.rawValue) at \(baseURL) (\(error)); is the stack running (scripts/run), or is --url / \(service.urlVariable) right?",
                status: .serverError)
        }
    }

    /// A path segment or query value with everything but unreserved characters percent-encoded.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    /// `?a=1&b=2` from the pairs whose value is present (empty string when none).
    static func query(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value in value.map { "\(name)=\(segment($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}
