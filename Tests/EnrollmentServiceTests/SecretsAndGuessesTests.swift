import Contracts
import EnrollmentService
import Foundation
import NIOCore
import PostgresNIO
import ServicePlatform
import TestSupport
import Testing

/// Secrets are shown once and never kept in plaintext, also not by `Idempotency-Key` (M3); the
/// wrong-key limit holds under parallel guesses (L5).
@Suite("Enrollment secrets and key guessing", .serialized, .hangGuard)
struct SecretsAndGuessesTests {
    /// Every stored `Idempotency-Key` answer of the service, as text.
    private func storedAnswers(_ service: EnrollmentHarness) async throws -> [String] {
        let rows = try await service.database.client.query("SELECT body FROM idempotency_keys WHERE body IS NOT NULL", logger: service.logger)
        var bodies: [String] = []
        for try await body in rows.decode(ByteBuffer.self) { bodies.append(String(buffer: body)) }
        return bodies
    }

    @Test("A repeated key or link creation answers secret-shown-once; the secret is not stored")
    func secretsAreNotReplayed() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("vault", #""selfEnrollment":{"enabled":true}"#)
            let create = { (path: String, idempotencyKey: String) in
                try await service.http.send(
                    "POST",
                    path,
                    token: service.admin(),
                    body: #"{"maxUses":5}"#,
                    headers: ["Idempotency-Key": idempotencyKey]
                )
            }
            let key = try await create("/v1/courses/vault/enrollment-keys", "key-once")
            #expect(key.status == 201, "\(key.text)")
            #expect(key.header("Cache-Control") == "no-store")
            let secret = try #require(key.json.string("key"))
            let link = try await create("/v1/courses/vault/enrollment-links", "link-once")
            #expect(link.status == 201, "\(link.text)")
            let token = try #require(link.json.string("token"))

            for (path, idempotencyKey) in [("/v1/courses/vault/enrollment-keys", "key-once"), ("/v1/courses/vault/enrollment-links", "link-once")] {
                let repeated = try await create(path, idempotencyKey)
                #expect(repeated.status == 409, "\(repeated.text)")
                #expect(repeated.json.string("type") == "https://lms.example/problems/secret-shown-once")
                #expect(repeated.header("Idempotent-Replayed") == "true")
                #expect(!repeated.text.contains(secret) && !repeated.text.contains(token))
            }
            let listed = try await service.http.send("GET", "/v1/courses/vault/enrollment-keys", token: service.admin())
            #expect(listed.json.items.count == 1, "the repeat created no second key")

            let stored = try await storedAnswers(service)
            #expect(stored.count == 2)
            #expect(stored.allSatisfy { !$0.contains(secret) && !$0.contains(token) }, "\(stored)")
        }
    }

    @Test("Twenty parallel wrong guesses get at most the limit's 403s; the rest are 429")
    func parallelGuessesRespectTheLimit() async throws {
        try await EnrollmentHarness.run(rateLimit: .init(maximumFailures: 5, window: .seconds(900))) { service in
            try await service.putCourse("guarded", #""selfEnrollment":{"enabled":true}"#)
            try await service.projectUsers(["guesser"])
            _ = try await service.http.send("POST", "/v1/courses/guarded/enrollment-keys", token: service.admin(), body: "{}")
            let token = service.learner("guesser")
            let statuses = try await EnrollmentHarness.concurrently(0..<20) { index in
                try await service.http.send("POST", "/v1/self-enrollments", token: token, body: #"{"courseId":"guarded","key":"WRONG-\#(index)"}"#)
            }.map(\.status)
            #expect(statuses.filter { $0 == 403 }.count == 5, "wrong-key answers: \(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count == 15, "\(statuses.sorted())")
        }
    }
}
