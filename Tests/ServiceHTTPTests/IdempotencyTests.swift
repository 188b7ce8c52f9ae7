import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceHTTP
import TestSupport
import Testing

@Suite("Idempotency-Key (PostgreSQL)", .hangGuard)
struct IdempotencyTests {
    let app: TestApp

    init() throws {
        app = try TestApp()
    }

    private func withApp(
        configure: (Router<AppRequestContext>, PostgresClient) -> Void = { _, _ in },
        test: @escaping @Sendable (any TestClientProtocol, PostgresClient, IdempotencyStore) async throws -> Void
    ) async throws {
        try await TestDatabase.withSchema { client in
            let store = IdempotencyStore(client: client, logger: TestDatabase.logger)
            let router = app.router(idempotency: store)
            configure(router, client)
            try await Application(router: router).test(.router) { http in
                try await test(http, client, store)
            }
        }
    }

    private func key(_ key: String) -> HTTPFields {
        [.idempotencyKey: key]
    }

    @Test("A retry returns the first response, marked as replayed, and runs the handler once")
    func replay() async throws {
        let calls = app.calls
        try await withApp { client, _, _ in
            let first = try await client.send("/v1/counter", method: .post, token: adminToken(), headers: key("k-1"), body: #"{"a":1}"#)
            #expect(first.status == .created)
            #expect(first.text == #"{"call":1,"tenant":"acme","bytes":7}"#)
            #expect(first.headers[.idempotentReplayed] == nil)

            let second = try await client.send("/v1/counter", method: .post, token: adminToken(), headers: key("k-1"), body: #"{"a":1}"#)
            #expect(second.status == .created)
            #expect(second.text == first.text)
            #expect(second.headers[.contentType] == "application/json")
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(calls.value == 1)

            let unkeyed = try await client.send("/v1/counter", method: .post, token: adminToken(), body: #"{"a":1}"#)
            #expect(unkeyed.text.contains(#""call":2"#))
        }
    }

    @Test("The same key with a different body is 422 and does not run the handler")
    func mismatch() async throws {
        let calls = app.calls
        try await withApp { client, _, _ in
            _ = try await client.send("/v1/counter", method: .post, token: adminToken(), headers: key("k-2"), body: #"{"a":1}"#)
            let other = try await client.send("/v1/counter", method: .post, token: adminToken(), headers: key("k-2"), body: #"{"a":2}"#)
            #expect(other.status == .unprocessableContent)
            let problem = try other.problem()
            #expect(problem.type == "https://lms.example/problems/idempotency-key-reused")
            #expect(problem.errors?.first?.field == "Idempotency-Key")

            let otherUser = JWTVerification.mintHS256(subject: "someone-else", tenant: "acme", roles: [.admin], secret: TestKeys.secret)
            let stolen = try await client.send("/v1/counter", method: .post, token: otherUser, headers: key("k-2"), body: #"{"a":1}"#)
            #expect(stolen.status == .unprocessableContent)
            #expect(calls.value == 1)
        }
    }

    @Test("Keys are scoped per tenant")
    func tenantScope() async throws {
        let calls = app.calls
        try await withApp { client, _, _ in
            let acme = try await client.send("/v1/counter", method: .post, token: adminToken(tenant: "acme"), headers: key("shared"), body: "{}")
            let globex = try await client.send("/v1/counter", method: .post, token: adminToken(tenant: "globex"), headers: key("shared"), body: "{}")
            #expect(acme.text == #"{"call":1,"tenant":"acme","bytes":2}"#)
            #expect(globex.text == #"{"call":2,"tenant":"globex","bytes":2}"#)
            #expect(globex.headers[.idempotentReplayed] == nil)
            #expect(calls.value == 2)
        }
    }

    @Test("A 5xx answer is not stored: the retry runs")
    func serverErrorReleasesKey() async throws {
        try await withApp { client, _, _ in
            let failed = try await client.send("/v1/flaky", method: .post, token: adminToken(), headers: key("k-3"), body: "{}")
            #expect(failed.status == .internalServerError)
            let retried = try await client.send("/v1/flaky", method: .post, token: adminToken(), headers: key("k-3"), body: "{}")
            #expect(retried.status == .created)
            #expect(retried.text == "call 2")
            #expect(retried.headers[.idempotentReplayed] == nil)
        }
    }

    @Test("A 4xx problem is stored and replayed")
    func clientErrorIsStored() async throws {
        let calls = app.calls
        try await withApp { client, _, _ in
            let first = try await client.send("/v1/invalid-once", method: .post, token: adminToken(), headers: key("k-4"), body: "{}")
            let second = try await client.send("/v1/invalid-once", method: .post, token: adminToken(), headers: key("k-4"), body: "{}")
            #expect(first.status == .unprocessableContent)
            #expect(second.status == .unprocessableContent)
            #expect(second.headers[.contentType] == "application/problem+json")
            #expect(second.headers[.idempotentReplayed] == "true")
            #expect(second.text == first.text)
            #expect(calls.value == 1)
        }
    }

    @Test("A repeat while the first request still runs is 409")
    func inProgress() async throws {
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseSignal) = AsyncStream.makeStream(of: Void.self)
        let addSlowRoute: (Router<AppRequestContext>, PostgresClient) -> Void = { router, _ in
            router.post("/v1/slow") { _, _ -> HTTPResponse.Status in
                enteredSignal.yield()
                for await _ in release { break }
                return .accepted
            }
        }
        try await withApp(configure: addSlowRoute) { client, _, _ in
            async let first = client.send("/v1/slow", method: .post, token: adminToken(), headers: key("k-5"), body: "{}")
            for await _ in entered { break }
            let concurrent = try await client.send("/v1/slow", method: .post, token: adminToken(), headers: key("k-5"), body: "{}")
            #expect(concurrent.status == .conflict)
            #expect(concurrent.headers[.retryAfter] == "1")
            #expect(try concurrent.problem().type == "https://lms.example/problems/conflict")
            releaseSignal.yield()
            #expect(try await first.status == .accepted)
            let later = try await client.send("/v1/slow", method: .post, token: adminToken(), headers: key("k-5"), body: "{}")
            #expect(later.status == .accepted)
            #expect(later.headers[.idempotentReplayed] == "true")
        }
    }

    @Test("An invalid key is 400; reads ignore keys")
    func invalidKey() async throws {
        try await withApp { client, _, _ in
            let long = try await client.send(
                "/v1/counter",
                method: .post,
                token: adminToken(),
                headers: key(String(repeating: "k", count: 256)),
                body: "{}"
            )
            #expect(long.status == .badRequest)
            #expect(try long.problem().errors?.first?.field == "Idempotency-Key")

            let read = try await client.send("/v1/me", token: adminToken(), headers: key("k-6"))
            #expect(read.status == .ok)
            #expect(read.headers[.idempotentReplayed] == nil)
        }
    }

    @Test("Errors thrown inside a transaction map through PostgresTransactionError")
    func transactionErrorUnwrapped() async throws {
        let addTransactionalRoute: (Router<AppRequestContext>, PostgresClient) -> Void = { router, database in
            router.post("/v1/transactional") { _, _ -> HTTPResponse.Status in
                try await database.withTransaction(logger: TestDatabase.logger) { _ in
                    throw Problem.conflict("The learner is already enrolled.")
                }
            }
        }
        try await withApp(configure: addTransactionalRoute) { client, _, _ in
            let response = try await client.send("/v1/transactional", method: .post, token: adminToken(), body: "{}")
            #expect(response.status == .conflict)
            #expect(try response.problem().detail == "The learner is already enrolled.")
        }
    }

    @Test("prune deletes keys older than the retention")
    func prune() async throws {
        try await withApp { client, database, store in
            _ = try await client.send("/v1/counter", method: .post, token: adminToken(), headers: key("fresh"), body: "{}")
            try await database.query(
                """
                INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, created_at, completed_at)
                VALUES ('acme', 'old', 'x', 201, now() - interval '25 hours', now() - interval '25 hours')
                """,
                logger: TestDatabase.logger
            )
            #expect(try await store.prune(olderThan: .seconds(24 * 3600)) == 1)
            let remaining = try await database.query("SELECT key FROM idempotency_keys", logger: TestDatabase.logger)
            var keys: [String] = []
            for try await key in remaining.decode(String.self) { keys.append(key) }
            #expect(keys == ["fresh"])
        }
    }

    @Test("An abandoned claim is taken over by an identical retry")
    func abandonedClaim() async throws {
        try await TestDatabase.withSchema { database in
            // Generous: under a loaded parallel run the second claim can come hundreds of ms later.
            let store = IdempotencyStore(client: database, logger: TestDatabase.logger, abandonedAfter: .seconds(3))
            #expect(try await store.claim(tenantId: "acme", key: "k", requestHash: "h") == .claimed)
            #expect(try await store.claim(tenantId: "acme", key: "k", requestHash: "h") == .inProgress)
            try await Task.sleep(for: .milliseconds(3_200))
            #expect(try await store.claim(tenantId: "acme", key: "k", requestHash: "other") == .mismatch)
            #expect(try await store.claim(tenantId: "acme", key: "k", requestHash: "h") == .claimed)
        }
    }
}
