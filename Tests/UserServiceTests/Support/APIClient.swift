import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small HTTP client (AsyncHTTPClient) for tests that talk to the service's real socket.
/// (URLSession on Linux polls libcurl from dispatch sources and burns a core while it waits.)
struct APIClient: Sendable {
    struct Answer: Sendable {
        var status: Int
        var data: Data
        var headers: [String: String]

        var text: String { String(decoding: data, as: UTF8.self) }

        /// The body as a JSON object (empty when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }

        /// `field` of each entry of a problem's `errors`.
        var errorFields: [String] {
            (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    let base: String

    /// One client for the test process, whose read timeout allows a 100,000-row import that
    /// answers only when done (the shared client's default read timeout is shorter).
    private static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(timeout: .init(connect: .seconds(10), read: .seconds(900))))

    func send(
        _ method: String, _ path: String, token: String? = nil, body: String? = nil, contentType: String = "application/json",
        headers: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.body = .bytes(ByteBuffer(string: body))
            request.headers.add(name: "Content-Type", value: contentType)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let seconds = timeout.components.seconds
        let response = try await Self.client.execute(request, timeout: .seconds(seconds))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name] = header.value }
        return Answer(status: Int(response.status.code), data: Data(buffer.readableBytesView), headers: fields)
    }
}
