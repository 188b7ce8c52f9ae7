import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// User upserts need `users:write` from a service (security review M1); reading, status changes,
/// erasure and imports stay with admins whatever the scopes.
@Suite("Service scopes in user-service", .serialized, .hangGuard)
struct UserServiceScopeTests {
    static let profile = #"{"email":"s@example.com","givenName":"S","familyName":"Vc"}"#

    @Test func upsertsNeedUsersWriteAndNothingElseOpensToServices() async throws {
        try await UserServiceHarness.run { harness in
            let http = harness.http
            let unscoped = harness.token(roles: [.service], scopes: Scope.allCases.filter { $0 != .usersWrite }, subject: "hr-sync")
            let scoped = harness.token(roles: [.service], scopes: [.usersWrite], subject: "hr-sync")
            let writes: [(method: String, path: String, body: String)] = [
                ("POST", "/v1/users", #"{"userId":"s-1","email":"s@example.com","givenName":"S","familyName":"Vc"}"#),
                ("PUT", "/v1/users/s-2", Self.profile),
                ("PATCH", "/v1/users/s-1", #"{"location":"Berlin"}"#),
            ]
            for write in writes {
                let refused = try await http.send(write.method, write.path, token: unscoped, body: write.body)
                #expect(refused.status == 403, "\(write.method) \(write.path): \(refused.text)")
                #expect(refused.text.contains("users:write"), "\(refused.text)")
                let allowed = try await http.send(write.method, write.path, token: scoped, body: write.body)
                #expect((200..<300).contains(allowed.status), "\(write.method) \(write.path): \(allowed.text)")
            }
            let everyScope = harness.token(roles: [.service], scopes: Scope.allCases, subject: "hr-sync")
            for (method, path) in [
                ("GET", "/v1/users"), ("GET", "/v1/users/s-1"), ("POST", "/v1/users/s-1:deactivate"), ("DELETE", "/v1/users/s-2"),
            ] {
                #expect(try await http.send(method, path, token: everyScope).status == 403, "\(method) \(path) is for admins")
            }
        }
    }
}
