import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// Hostile clients against the real processes: bad tokens, another tenant's ids, key guessing,
/// SQL metacharacters, oversized bodies — and no secret in any log.
@Suite("Reliability: security", .serialized, .timeLimit(.minutes(10)))
struct SecurityTests {
    static func claims(_ fields: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data())
    }

    @Test func hostileClientsGetNothing() async throws {
        try await LocalStack.run { stack in
            let acme = FaultLoad(stack: stack, tenant: "acme")
            let now = Int(Date().timeIntervalSince1970)

            // Tenant acme's resources in every service.
            let tricky = #"Robert'); DROP TABLE users;-- 50%_off \ "quoted""#
            let user = try await acme.call(
                .userService, "POST", "/v1/users",
                body: """
                    {"userId":"victim","email":"victim@acme.example","givenName":\(String(decoding: try JSONEncoder().encode(tricky), as: UTF8.self)),"familyName":"O'Brien","department":"R&D;--"}
                    """
            ).json
            #expect(user.string("givenName") == tricky, "SQL metacharacters are stored literally")
            #expect(try await acme.call(.userService, "GET", "/v1/users/victim").json.string("givenName") == tricky)
            try await acme.call(
                .enrollmentService, "PUT", "/v1/courses/secret-course",
                body: """
                    {"title":"It's 100% \\"safe\\"; DROP TABLE courses;--","modules":["a"],"selfEnrollment":{"enabled":true}}
                    """)
            #expect(
                try await acme.call(.enrollmentService, "GET", "/v1/courses/secret-course").json.string("title")
                    == #"It's 100% "safe"; DROP TABLE courses;--"#)
            let enrollment = try #require(
                try await acme.call(.enrollmentService, "POST", "/v1/courses/secret-course/enrollments", body: #"{"userId":"victim"}"#).json.string(
                    "enrollmentId"))
            let key = try await acme.call(.enrollmentService, "POST", "/v1/courses/secret-course/enrollment-keys", body: #"{"label":"door"}"#).json
            let keyId = try #require(key.string("keyId"))
            let secretKey = try #require(key.string("key"))
            let segment = try #require(
                try await acme.call(
                    .rulesWorker, "POST", "/v1/segments",
                    body: #"{"name":"R&D","criteria":{"all":[{"field":"department","op":"eq","value":"R&D;--"}]}}"#
                ).json.string("segmentId"))
            let rule = try #require(
                try await acme.call(.rulesWorker, "POST", "/v1/rules", body: #"{"name":"r","courseIds":["secret-course"],"segmentId":"\#(segment)"}"#)
                    .json.string("ruleId"))
            _ = try await eventually(timeout: .seconds(60)) {
                (try await stack.http(.progressService).send("GET", "/v1/enrollments/\(enrollment)/progress", token: acme.admin)).status == 200
            }

            // Tokens that must not get in: expired, not yet valid, wrong signature, alg none.
            let secret = LocalStack.secret
            let base: [String: Any] = ["sub": "admin-acme", "tenant": "acme", "roles": ["admin"]]
            let refused = [
                "expired": JWTVerification.signHS256(claims: Self.claims(base.merging(["exp": now - 60]) { $1 }), secret: secret),
                "not yet valid": JWTVerification.signHS256(
                    claims: Self.claims(base.merging(["exp": now + 3600, "nbf": now + 1800]) { $1 }), secret: secret),
                "wrong signature": JWTVerification.signHS256(claims: Self.claims(base.merging(["exp": now + 3600]) { $1 }), secret: secret + "-not"),
                "alg none": JWTVerification.unsignedToken(claims: Self.claims(base.merging(["exp": now + 3600]) { $1 })),
            ]
            let reads: [(LocalStack.Service, String)] = [
                (.userService, "/v1/users/victim"), (.enrollmentService, "/v1/courses/secret-course"), (.rulesWorker, "/v1/rules/\(rule)"),
                (.progressService, "/v1/enrollments/\(enrollment)/progress"), (.reportService, "/openapi.json"),
            ]
            for (name, token) in refused {
                for (service, path) in reads.dropLast() {
                    let answer = try await stack.http(service).send("GET", path, token: token)
                    #expect(answer.status == 401, "\(name) token on \(service.rawValue) \(path): \(answer.status)")
                    #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                }
            }
            // A learner may not administer.
            let learner = stack.token("victim", tenant: "acme", roles: [.learner])
            for (service, method, path) in [
                (LocalStack.Service.userService, "GET", "/v1/users"), (.enrollmentService, "PUT", "/v1/courses/x"),
                (.rulesWorker, "POST", "/v1/rules"), (.progressService, "GET", "/v1/courses/secret-course/progress"),
            ] {
                let answer = try await stack.http(service).send(method, path, token: learner, body: method == "GET" ? nil : #"{"title":"x"}"#)
                #expect(answer.status == 403, "learner on \(method) \(path): \(answer.status)")
            }

            // Tenant globex's admin, aimed at acme's ids: 404 (or an empty list) everywhere, nothing leaks.
            // (PUT /v1/users/{id} and PUT /v1/courses/{id} are upserts: they would create globex's own
            // resource under that id, which is no access to acme's.)
            let globex = stack.admin("globex")
            let sweep: [(LocalStack.Service, String, String, String?)] = [
                (.userService, "GET", "/v1/users/victim", nil), (.userService, "PATCH", "/v1/users/victim", #"{"department":"x"}"#),
                (.userService, "POST", "/v1/users/victim:deactivate", nil), (.userService, "POST", "/v1/users/victim:reactivate", nil),
                (.userService, "DELETE", "/v1/users/victim", nil),
                (.enrollmentService, "GET", "/v1/courses/secret-course", nil), (.enrollmentService, "GET", "/v1/enrollments/\(enrollment)", nil),
                (.enrollmentService, "PATCH", "/v1/enrollments/\(enrollment)", #"{"dueAt":"2030-01-01T00:00:00Z"}"#),
                (.enrollmentService, "POST", "/v1/enrollments/\(enrollment):withdraw", nil),
                (.enrollmentService, "POST", "/v1/enrollments/\(enrollment):suspend", nil),
                (.enrollmentService, "POST", "/v1/enrollments/\(enrollment):reactivate", nil),
                (.enrollmentService, "POST", "/v1/courses/secret-course/enrollments", #"{"userId":"intruder"}"#),
                (.enrollmentService, "POST", "/v1/courses/secret-course/enrollment-keys", #"{}"#),
                (.enrollmentService, "DELETE", "/v1/enrollment-keys/\(keyId)", nil),
                (.enrollmentService, "POST", "/v1/courses/secret-course/enrollment-links", #"{}"#),
                (.rulesWorker, "GET", "/v1/segments/\(segment)", nil), (.rulesWorker, "GET", "/v1/segments/\(segment)/members", nil),
                (.rulesWorker, "PUT", "/v1/segments/\(segment)", #"{"name":"x","criteria":{"all":[{"field":"department","op":"eq","value":"x"}]}}"#),
                (.rulesWorker, "GET", "/v1/rules/\(rule)", nil), (.rulesWorker, "POST", "/v1/rules/\(rule):activate", nil),
                (.rulesWorker, "POST", "/v1/rules/\(rule):pause", nil), (.rulesWorker, "POST", "/v1/rules/\(rule):preview", nil),
                (
                    .rulesWorker, "PUT", "/v1/rules/\(rule)",
                    #"{"name":"x","courseIds":["c"],"criteria":{"all":[{"field":"department","op":"eq","value":"x"}]}}"#
                ),
                (.progressService, "GET", "/v1/enrollments/\(enrollment)/progress", nil),
            ]
            for (service, method, path, body) in sweep {
                let answer = try await stack.http(service).send(method, path, token: globex, body: body)
                #expect(answer.status == 404, "globex \(method) \(service.rawValue)\(path): \(answer.status) \(answer.text.prefix(200))")
                #expect(!answer.text.contains("victim@acme.example") && !answer.text.contains("DROP TABLE"), "leak in \(path)")
            }
            for (service, path) in [
                (LocalStack.Service.userService, "/v1/users"), (.enrollmentService, "/v1/courses"),
                (.enrollmentService, "/v1/courses/secret-course/enrollments"),
                (.enrollmentService, "/v1/users/victim/enrollments"), (.rulesWorker, "/v1/rules"), (.rulesWorker, "/v1/segments"),
                (.progressService, "/v1/users/victim/progress"), (.progressService, "/v1/courses/secret-course/progress"),
            ] {
                let answer = try await stack.http(service).send("GET", path, token: globex)
                #expect(
                    answer.status == 404 || (answer.status == 200 && answer.json.items.isEmpty),
                    "globex list \(path): \(answer.status) \(answer.text.prefix(200))")
            }
            #expect(try await acme.call(.userService, "GET", "/v1/users/victim").json.string("status") == "active", "globex changed nothing")

            // Guessing enrollment keys is throttled, and every attempt is audited.
            var statuses: [Int] = []
            for attempt in 0..<30 {
                let answer = try await stack.http(.enrollmentService).send(
                    "POST", "/v1/self-enrollments", token: stack.token("guesser", tenant: "acme", roles: [.learner]),
                    body: #"{"courseId":"secret-course","key":"GUESS-\#(attempt)"}"#)
                statuses.append(answer.status)
                if answer.status == 429 { break }
            }
            #expect(statuses.last == 429, "key guessing is throttled: \(statuses)")
            #expect(
                try await stack.count("SELECT count(*)::int FROM enrollments.self_enrollment_attempts WHERE user_id = 'guesser'") >= statuses.count
                    - 1)

            // Bodies over the limit: 413 problem, for JSON and bulk uploads alike.
            let huge = "{\"pad\":\"" + String(repeating: "x", count: 70 << 20) + "\"}"
            for (service, path) in [
                (LocalStack.Service.userService, "/v1/users"), (.enrollmentService, "/v1/courses/secret-course/enrollments:bulk"),
                (.rulesWorker, "/v1/segments"), (.progressService, "/v1/activity"),
            ] {
                let answer = try await stack.http(service).send("POST", path, token: acme.admin, body: huge)
                #expect(answer.status == 413, "\(service.rawValue) \(path): \(answer.status)")
            }

            // No token, key or secret in any log.
            let secrets = [acme.admin, globex, learner, secretKey, LocalStack.secret] + refused.values
            for service in LocalStack.Service.allCases {
                let log = (try? String(contentsOf: stack.logFile(service), encoding: .utf8)) ?? ""
                #expect(!log.isEmpty, "\(service.rawValue) logged something")
                for secret in secrets { #expect(!log.contains(secret), "\(service.rawValue) logged a secret") }
                #expect(!log.contains(secretKey.replacingOccurrences(of: "-", with: "")), "\(service.rawValue) logged the key")
            }
        }
    }
}
