import NIOCore
import PostgresNIO
import TestSupport
import Testing

/// Erasing a user also deletes the `Idempotency-Key` answers that hold its profile (M3).
@Suite("Erasure and stored Idempotency-Key answers", .serialized, .hangGuard)
struct ErasureIdempotencyTests {
    private static func user(_ id: String, email: String) -> String {
        #"{"userId":"\#(id)","email":"\#(email)","givenName":"Given","familyName":"Family"}"#
    }

    /// Stored answers (status, body text) of the service.
    private func storedAnswers(_ harness: UserServiceHarness) async throws -> [String] {
        let rows = try await harness.database.query(
            "SELECT body FROM \(unescaped: harness.schema).idempotency_keys WHERE body IS NOT NULL",
            logger: harness.logger
        )
        var bodies: [String] = []
        for try await body in rows.decode(ByteBuffer.self) { bodies.append(String(buffer: body)) }
        return bodies
    }

    @Test("DELETE /v1/users/{id} purges the stored answers about that user, and only those")
    func erasurePurgesStoredAnswers() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            let created = try await http.send(
                "POST",
                "/v1/users",
                token: admin,
                body: Self.user("u-1", email: "ada@example.com"),
                headers: ["Idempotency-Key": "create-u1"]
            )
            #expect(created.status == 201, "\(created.text)")
            let patched = try await http.send(
                "PATCH",
                "/v1/users/u-1",
                token: admin,
                body: #"{"jobRole":"Engineer"}"#,
                headers: ["Idempotency-Key": "patch-u1"]
            )
            #expect(patched.status == 200, "\(patched.text)")
            let other = try await http.send(
                "PUT",
                "/v1/users/u-2",
                token: admin,
                body: Self.user("u-2", email: "grace@example.com"),
                headers: ["Idempotency-Key": "put-u2"]
            )
            #expect(other.status == 201, "\(other.text)")
            #expect(try await storedAnswers(harness).filter { $0.contains("ada@example.com") }.count == 2)

            #expect(try await http.send("DELETE", "/v1/users/u-1", token: admin).status == 204)

            let remaining = try await storedAnswers(harness)
            #expect(!remaining.contains { $0.contains("ada@example.com") }, "\(remaining)")
            #expect(remaining.filter { $0.contains("grace@example.com") }.count == 1, "another user's answer stays")
            let replay = try await http.send(
                "POST",
                "/v1/users",
                token: admin,
                body: Self.user("u-1", email: "ada@example.com"),
                headers: ["Idempotency-Key": "create-u1"]
            )
            #expect(replay.header("Idempotent-Replayed") == nil, "the purged key no longer replays the profile")
        }
    }
}
