import Contracts
import Foundation
import TestSupport
import Testing

@Suite("OpenAPI document", .serialized, .hangGuard)
struct OpenAPITests {
    /// Every operation of the service (besides the platform's routes).
    static let operations: Set<String> = [
        "GET /v1/courses", "PUT /v1/courses/{courseId}", "GET /v1/courses/{courseId}",
        "POST /v1/courses/{courseId}/enrollments", "GET /v1/courses/{courseId}/enrollments",
        "POST /v1/courses/{courseId}/enrollments:bulk", "POST /v1/courses/{courseId}/enrollment-keys",
        "GET /v1/courses/{courseId}/enrollment-keys", "DELETE /v1/enrollment-keys/{keyId}",
        "POST /v1/courses/{courseId}/enrollment-links", "GET /v1/enrollments/{enrollmentId}", "PATCH /v1/enrollments/{enrollmentId}",
        "POST /v1/enrollments/{enrollmentId}:withdraw", "POST /v1/enrollments/{enrollmentId}:suspend",
        "POST /v1/enrollments/{enrollmentId}:reactivate", "GET /v1/users/{userId}/enrollments", "POST /v1/self-enrollments",
        "POST /v1/self-enrollments/links/{token}",
    ]

    @Test func documentsExactlyTheServedOperations() async throws {
        try await EnrollmentHarness.run { service in
            let document = try await service.http.send("GET", "/openapi.json").json
            #expect(document.string("openapi") == "3.1.0")
            let paths = document["paths"]?.objectValue ?? [:]
            var documented = Set<String>()
            for (path, item) in paths where path.hasPrefix("/v1/") {
                for method in ["get", "put", "post", "patch", "delete"] where item[method] != nil {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            #expect(documented == Self.operations)
            #expect(paths["/health/ready"] != nil)
            #expect(document["components"]?["schemas"]?["Problem"] != nil)

            // Each documented operation is served: a caller without roles gets a refusal or a "not found" of the
            // resource, never the router's "no such route" (what an undocumented path gets).
            let nobody = service.token("nobody", roles: [])
            let missing = try await service.http.send("GET", "/v1/nothing-here", token: nobody)
            #expect(missing.status == 404)
            let routeMiss = try #require(missing.json.string("detail"))
            for operation in documented.sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let path = parts[1]
                    .replacingOccurrences(of: "{courseId}", with: "c-1").replacingOccurrences(of: "{userId}", with: "u-1")
                    .replacingOccurrences(of: "{keyId}", with: UUID().uuidString).replacingOccurrences(of: "{enrollmentId}", with: UUID().uuidString)
                    .replacingOccurrences(of: "{token}", with: "t")
                let answer = try await service.http.send(parts[0], path, token: nobody, body: parts[0] == "GET" || parts[0] == "DELETE" ? nil : "{}")
                #expect(
                    [403, 404].contains(answer.status) && answer.json.string("detail") != routeMiss,
                    "\(operation): \(answer.status) \(answer.text)"
                )
            }
        }
    }
}
