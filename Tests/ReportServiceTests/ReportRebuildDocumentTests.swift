import Contracts
import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

/// The served OpenAPI document against the rebuild endpoints' real answers: every status they
/// give is documented for the operation, and their bodies follow the documented `ReportRebuild`.
@Suite("report-service OpenAPI: rebuilds", .hangGuard)
struct ReportRebuildDocumentTests {
    /// Every `$ref` value anywhere in `value`.
    static func refs(in value: JSONValue) -> [String] {
        switch value {
        case .object(let members):
            members.flatMap { key, member -> [String] in
                if key == "$ref", case .string(let ref) = member { return [ref] }
                return refs(in: member)
            }
        case .array(let elements): elements.flatMap(refs(in:))
        default: []
        }
    }

    @Test func theRebuildAnswersAreTheDocumentedOnes() async throws {
        try await ReportHarness.run { service in
            let document = try await service.http.send("GET", "/openapi.json").json
            // Every reference of the document resolves within it.
            for ref in Self.refs(in: document) {
                #expect(ref.hasPrefix("#/"), "\(ref)")
                var node: JSONValue? = document
                for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
                #expect(node != nil, "\(ref) does not resolve")
            }
            #expect(document["paths"]?["/v1/reports:rebuild"]?["post"]?["responses"]?["200"] == nil)
            #expect(document["paths"]?["/v1/reports:rebuild"]?["post"]?["requestBody"] == nil)
            let schema = try JSONSchemaValidator(schema: try #require(document["components"]?["schemas"]?["ReportRebuild"]))
            func documented(_ method: String, _ path: String, _ status: Int) -> JSONValue? {
                document["paths"]?[path]?[method]?["responses"]?[String(status)]
            }

            let admin = service.harness.admin()
            let started = try await service.http.send("POST", "/v1/reports:rebuild", token: admin)
            #expect(started.status == 202, "\(started.text)")
            #expect(documented("post", "/v1/reports:rebuild", 202)?["headers"]?["Location"] != nil)
            #expect(schema.validate(started.json).isEmpty, "\(schema.validate(started.json)) in \(started.text)")
            let location = try #require(started.header("Location"))

            let shown = try await service.http.send("GET", location, token: admin)
            #expect(shown.status == 200 && documented("get", "/v1/reports/rebuilds/{rebuildId}", 200) != nil)
            #expect(schema.validate(shown.json).isEmpty, "\(schema.validate(shown.json)) in \(shown.text)")

            let busy = try await service.http.send("POST", "/v1/reports:rebuild", token: admin)
            #expect(busy.status == 409 && documented("post", "/v1/reports:rebuild", 409) != nil, "\(busy.text)")
            #expect(busy.header("Content-Type")?.hasPrefix("application/problem+json") == true)

            let learner = service.harness.token("u-1", roles: [.learner])
            let refused = try await service.http.send("POST", "/v1/reports:rebuild", token: learner)
            #expect(refused.status == 403 && documented("post", "/v1/reports:rebuild", 403) != nil)
            let hidden = try await service.http.send("GET", location, token: learner)
            #expect(hidden.status == 403 && documented("get", "/v1/reports/rebuilds/{rebuildId}", 403) != nil)

            let unknown = try await service.http.send("GET", "/v1/reports/rebuilds/\(UUID().uuidString.lowercased())", token: admin)
            #expect(unknown.status == 404 && documented("get", "/v1/reports/rebuilds/{rebuildId}", 404) != nil)
            let otherTenant = service.harness.token("ops", tenant: "globex", roles: [.admin])
            #expect(try await service.http.send("GET", location, token: otherTenant).status == 404)
        }
    }
}
