import Contracts
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A minimal HTTP client over URLSession for tests that talk to a real socket.
public struct HTTPProbe: Sendable {
    public struct Answer: Sendable {
        public var status: Int
        public var text: String
        public var headers: [String: String]

        /// The body as JSON (`.null` when it is not JSON).
        public var json: JSONValue { (try? JSONValue(parsing: Array(text.utf8))) ?? .null }

        /// A header by case-insensitive name.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    public let base: String
    private let session: URLSession

    /// Generous timeouts and many connections per host: tests send large bodies and bursts.
    public init(base: String) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 600
        configuration.timeoutIntervalForResource = 600
        configuration.httpMaximumConnectionsPerHost = 128
        session = URLSession(configuration: configuration)
    }

    public func send(
        _ method: String,
        _ path: String,
        token: String? = nil,
        body: String? = nil,
        contentType: String = "application/json",
        headers: [String: String] = [:]
    ) async throws -> Answer {
        guard let url = URL(string: base + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = 600
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { fields["\(name)"] = "\(value)" }
        return Answer(status: http?.statusCode ?? 0, text: String(decoding: data, as: UTF8.self), headers: fields)
    }
}
