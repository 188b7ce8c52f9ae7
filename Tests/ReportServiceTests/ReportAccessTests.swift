import Contracts
import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

@Suite("Report access", .serialized, .hangGuard)
struct ReportAccessTests {
    @Test func rolesAndTenantsDecideWhoSeesWhat() async throws {
        try await ReportHarness.run { service in
            try await service.apply(Scenario(now: service.clock.now()))
            let http = service.http
            let instructor = service.harness.token("i1", roles: [.instructor])
            let learner = service.harness.learner("u1")

            #expect(try await http.send("GET", "/v1/reports/courses/safety/summary").status == 401)
            #expect(try await http.send("GET", "/v1/reports/courses/safety/summary", token: instructor).status == 200)
            #expect(try await http.send("GET", "/v1/reports/compliance?courseId=safety", token: instructor).status == 200)
            #expect(try await http.send("GET", "/v1/reports/overdue?courseId=safety", token: instructor).status == 200)
            // i1 teaches safety only.
            #expect(try await http.send("GET", "/v1/reports/courses/privacy/summary", token: instructor).status == 403)
            #expect(try await http.send("GET", "/v1/reports/compliance", token: instructor).status == 403)
            #expect(try await http.send("GET", "/v1/reports/overdue", token: instructor).status == 403)
            #expect(try await http.send("GET", "/v1/reports/learners/u1/transcript", token: instructor).status == 403)
            // Learners: their own transcript only.
            #expect(try await http.send("GET", "/v1/reports/learners/u1/transcript", token: learner).status == 200)
            #expect(try await http.send("GET", "/v1/reports/learners/u2/transcript", token: learner).status == 403)
            #expect(try await http.send("GET", "/v1/reports/courses/safety/summary", token: learner).status == 403)
            // Another tenant's resources are not found; so are unknown ones.
            let other = service.harness.admin("initech")
            #expect(try await http.send("GET", "/v1/reports/courses/safety/summary", token: other).status == 404)
            #expect(try await http.send("GET", "/v1/reports/learners/u1/transcript", token: other).status == 404)
            #expect(try await http.send("GET", "/v1/reports/overdue?courseId=safety", token: other).status == 404)
            #expect(try await http.send("GET", "/v1/reports/courses/nope/summary", token: service.harness.admin()).status == 404)
            let bad = try await http.send("GET", "/v1/reports/compliance?groupBy=shoeSize", token: service.harness.admin())
            #expect(bad.status == 422 && bad.json["errors"]?.arrayValue?.first?.string("field") == "groupBy", "\(bad.text)")
        }
    }

    /// Every operation of the service (besides the platform's routes).
    static let operations: Set<String> = [
        "GET /v1/reports/courses/{courseId}/summary", "GET /v1/reports/compliance", "GET /v1/reports/learners/{userId}/transcript",
        "GET /v1/reports/overdue", "POST /v1/reports:rebuild", "GET /v1/reports/rebuilds/{rebuildId}", "GET /dashboard",
    ]

    @Test func openAPIDocumentsExactlyTheServedOperations() async throws {
        try await ReportHarness.run { service in
            let document = try await service.http.send("GET", "/openapi.json").json
            #expect(document.string("openapi") == "3.1.0")
            let paths = document["paths"]?.objectValue ?? [:]
            var documented = Set<String>()
            for (path, item) in paths where path.hasPrefix("/v1/") || path == "/dashboard" {
                for method in ["get", "put", "post", "patch", "delete"] where item[method] != nil {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            #expect(documented == Self.operations)
            let schemas = document["components"]?["schemas"]?.objectValue ?? [:]
            #expect(schemas["CourseSummaryReport"] != nil && schemas["ComplianceReport"] != nil)

            let nobody = service.harness.token("nobody", roles: [])
            let missing = try await service.http.send("GET", "/v1/nothing-here", token: nobody)
            let routeMiss = try #require(missing.json.string("detail"))
            for operation in documented.sorted() where operation != "GET /dashboard" {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let path = parts[1].replacingOccurrences(of: "{courseId}", with: "c-1").replacingOccurrences(of: "{userId}", with: "u-1")
                    .replacingOccurrences(of: "{rebuildId}", with: UUID().uuidString.lowercased())
                let answer = try await service.http.send(parts[0], path, token: nobody)
                #expect(
                    [403, 404].contains(answer.status) && answer.json.string("detail") != routeMiss,
                    "\(operation): \(answer.status) \(answer.text)"
                )
            }
            #expect(try await service.http.send("GET", "/dashboard").status == 401)
        }
    }
}
