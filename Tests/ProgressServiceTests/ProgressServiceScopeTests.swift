import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// Service callers reach only what their token's scopes grant (security review M1): progress reads
/// need `enrollments:read`, activity needs `activity:write`; without the scope a `service` token gets
/// 403 naming it.
@Suite("Service scopes in progress-service", .serialized, .hangGuard)
struct ProgressServiceScopeTests {
    @Test func eachRouteRefusesServicesWithoutItsScopeAndServesThoseWithIt() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("http", modules: ["a", "b"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "http"))
            let statement = #"""
                {"tenantId":"acme","statementId":"\#(UUID().uuidString.lowercased())","userId":"u1","courseId":"http","moduleId":"a",
                 "verb":"completed","durationSeconds":30,"occurredAt":"\#(RFC3339.format(h.clock.now()))"}
                """#
            let routes: [(method: String, path: String, body: String?, scope: Scope)] = [
                ("GET", "/v1/enrollments/\(id.uuidString.lowercased())/progress", nil, .enrollmentsRead),
                ("GET", "/v1/users/u1/progress", nil, .enrollmentsRead),
                ("GET", "/v1/courses/http/progress", nil, .enrollmentsRead),
                ("POST", "/v1/activity", statement, .activityWrite),
                ("GET", "/v1/activity/unattributed", nil, .activityWrite),
            ]
            for route in routes {
                let others = Scope.allCases.filter { $0 != route.scope }
                let without = try await h.service.http.send(
                    route.method,
                    route.path,
                    token: h.service.token("player", roles: [.service], scopes: others),
                    body: route.body
                )
                #expect(without.status == 403, "\(route.method) \(route.path): \(without.text)")
                #expect(without.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                #expect(without.json.string("detail")?.contains(route.scope.rawValue) == true, "\(without.text)")
                let with = try await h.service.http.send(
                    route.method,
                    route.path,
                    token: h.service.token("player", roles: [.service], scopes: [route.scope]),
                    body: route.body
                )
                #expect(with.status == 200, "\(route.method) \(route.path) with \(route.scope.rawValue): \(with.text)")
            }
            // Learners and instructors are unaffected: a learner still reads its own progress.
            #expect(try await h.progress(id, token: h.service.learner("u1")).status == 200)
        }
    }
}
