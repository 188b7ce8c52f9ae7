import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The services' HTTP APIs over one AsyncHTTPClient with a connection pool big enough for the
/// concurrent load generator.
struct BenchHTTP: Sendable {
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    }

    let client: HTTPClient

    init(connections: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.timeout = .init(connect: .seconds(5))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    func send(
        _ method: String, _ url: String, token: String, body: String? = nil, contentType: String = "application/json"
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(1800))
        let buffer = try await response.body.collect(upTo: 1 << 30)
        return Answer(status: Int(response.status.code), body: Array(buffer.readableBytesView))
    }

    /// `send`, failing unless the answer is 2xx.
    @discardableResult
    func expect(
        _ method: String, _ url: String, token: String, body: String? = nil, contentType: String = "application/json"
    ) async throws -> Answer {
        let answer = try await send(method, url, token: token, body: body, contentType: contentType)
        guard (200..<300).contains(answer.status) else {
            throw BenchError("\(method) \(url) answered \(answer.status): \(answer.text.prefix(400))")
        }
        return answer
    }
}
