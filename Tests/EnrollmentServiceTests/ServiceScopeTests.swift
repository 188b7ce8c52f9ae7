import Contracts
import EnrollmentService
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// Service callers reach only what their token's scopes grant (security review M1): without the
/// route's scope a `service` token gets 403 naming it; with it, the route works. Enrollment keys and
/// links stay with admins and instructors whatever the scopes.
@Suite("Service scopes in enrollment-service", .serialized, .hangGuard)
struct ServiceScopeTests {
    /// A route, the body it is called with, and the scope that opens it to services (`nil`: none does).
    struct Route: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var body: String?
        var scope: Scope?
        var description: String { "\(method) \(path)" }
    }

    static func routes(enrollment: String, key: String) -> [Route] {
        [
            Route(method: "POST", path: "/v1/courses/c1/enrollments", body: #"{"userId":"u2"}"#, scope: .enrollmentsWrite),
            Route(method: "POST", path: "/v1/courses/c1/enrollments:bulk", body: #"[{"userId":"u3"}]"#, scope: .enrollmentsWrite),
            Route(method: "GET", path: "/v1/courses/c1/enrollments", scope: .enrollmentsRead),
            Route(method: "GET", path: "/v1/enrollments/\(enrollment)", scope: .enrollmentsRead),
            Route(method: "GET", path: "/v1/users/u1/enrollments", scope: .enrollmentsRead),
            Route(method: "GET", path: "/v1/courses", scope: .enrollmentsRead),
            Route(method: "PATCH", path: "/v1/enrollments/\(enrollment)", body: #"{"dueAt":null}"#, scope: .enrollmentsWrite),
            Route(method: "POST", path: "/v1/enrollments/\(enrollment):suspend", scope: .enrollmentsWrite),
            Route(method: "POST", path: "/v1/enrollments/\(enrollment):reactivate", scope: .enrollmentsWrite),
            Route(method: "POST", path: "/v1/enrollments/\(enrollment):withdraw", scope: .enrollmentsWrite),
            Route(method: "POST", path: "/v1/courses/c1/enrollment-keys", body: "{}", scope: nil),
            Route(method: "GET", path: "/v1/courses/c1/enrollment-keys", scope: nil),
            Route(method: "POST", path: "/v1/courses/c1/enrollment-links", body: "{}", scope: nil),
            Route(method: "DELETE", path: "/v1/enrollment-keys/\(key)", scope: nil),
        ]
    }

    @Test func eachRouteRefusesServicesWithoutItsScopeAndServesThoseWithIt() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("c1")
            try await service.projectUsers(["u1", "u2", "u3"])
            let enrolled = try await service.enroll(#"{"userId":"u1"}"#, in: "c1")
            let enrollment = try #require(enrolled.json.string("enrollmentId"), "\(enrolled.text)")
            let created = try await service.http.send("POST", "/v1/courses/c1/enrollment-keys", token: service.admin(), body: "{}")
            let key = try #require(created.json.string("keyId"), "\(created.text)")

            let everyScope = service.harness.token("sync", roles: [.service], scopes: Scope.allCases)
            for route in Self.routes(enrollment: enrollment, key: key) {
                // The other scopes never open the route.
                let others = Scope.allCases.filter { $0 != route.scope }
                let without = try await service.http.send(
                    route.method,
                    route.path,
                    token: service.harness.token("sync", roles: [.service], scopes: others),
                    body: route.body
                )
                #expect(without.status == 403, "\(route): \(without.text)")
                #expect(without.header("Content-Type")?.hasPrefix("application/problem+json") == true, "\(route)")
                if let scope = route.scope {
                    #expect(without.json.string("detail")?.contains(scope.rawValue) == true, "\(route): \(without.text)")
                    let with = try await service.http.send(
                        route.method,
                        route.path,
                        token: service.harness.token("sync", roles: [.service], scopes: [scope]),
                        body: route.body
                    )
                    #expect((200..<300).contains(with.status), "\(route) with \(scope.rawValue): \(with.text)")
                } else {
                    let all = try await service.http.send(route.method, route.path, token: everyScope, body: route.body)
                    #expect(all.status == 403, "\(route) is for admins and instructors only: \(all.text)")
                }
            }
            // A bare service token (no scope at all) is refused everywhere, as before any scope existed it was admitted.
            let bare = service.harness.token("sync", roles: [.service])
            #expect(try await service.http.send("GET", "/v1/courses", token: bare).status == 403)
            #expect(try await service.enroll(#"{"userId":"u3"}"#, in: "c1", token: bare).status == 403)
        }
    }
}
