import Contracts
import Foundation
import Hummingbird
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServicePlatform
import TestSupport
import Testing

/// A whole service assembled by `ServiceApplication` (PostgreSQL, producer, relay, HTTP), reached
/// over a real socket: platform routes, tenant walls, idempotent writes through the database, and
/// events leaving through the outbox.
@Suite("Service application", .serialized, .hangGuard)
struct ServiceApplicationTests {
    /// A tiny service: notes per tenant. `POST /v1/notes` writes a note and an event through the outbox.
    private static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "notes-service",
            defaultPort: 0,
            schema: "notes",
            migrations: [
                Migration(
                    version: 100,
                    name: "notes",
                    statements: [
                        "CREATE TABLE notes (tenant_id text NOT NULL, id text NOT NULL, body text NOT NULL, PRIMARY KEY (tenant_id, id))"
                    ]
                )
            ],
            openAPIDocument: Array(
                #"{"openapi":"3.1.0","info":{"title":"notes","version":"1"},"paths":{"/v1/notes":{"post":{}},"/v1/notes/{id}":{"get":{}}}}"#.utf8
            )
        ) { runtime, router in
            router.post("/v1/notes") { request, context -> EditedResponse<Note> in
                let identity = try context.require(anyOf: .admin)
                let note = try await request.decode(as: Note.self, context: context)
                let event = try OutboxEvent(
                    UserLifecycleEvent(tenantId: identity.tenantId, userId: note.id, reason: note.body, version: 1, occurredAt: Date()),
                    type: .lmsUserDeactivated,
                    source: runtime.eventSource,
                    traceparent: context.traceparent
                )
                try await runtime.database.transaction { connection in
                    try await connection.query(
                        "INSERT INTO notes (tenant_id, id, body) VALUES (\(identity.tenantId), \(note.id), \(note.body))",
                        logger: runtime.logger
                    )
                    try await Outbox.enqueue([event], on: connection, logger: runtime.logger)
                }
                return EditedResponse(status: .created, response: note)
            }
            router.get("/v1/notes/:id") { _, context -> Note in
                let identity = try context.require(anyOf: .admin)
                let id = try context.parameters.require("id")
                let rows = try await runtime.database.client.query(
                    "SELECT id, body FROM notes WHERE tenant_id = \(identity.tenantId) AND id = \(id)",
                    logger: runtime.logger
                )
                for try await (id, body) in rows.decode((String, String).self) { return Note(id: id, body: body) }
                throw Problem.notFound("note \(id)")
            }
            return []
        }
    }

    struct Note: Codable, Sendable, ResponseEncodable {
        var id: String
        var body: String
    }

    @Test func servesPlatformRoutesTenantWallsIdempotentWritesAndOutboxEvents() async throws {
        try await ServiceHarness.run(Self.definition, schemaPrefix: "notes") { harness in
            let probe = try harness.probe([.users])
            try await withRunning([probe], logger: harness.logger) {
                let client = harness.http
                let adminA = harness.token("admin-a", tenant: "tenant-a", roles: [.admin])
                let adminB = harness.token("admin-b", tenant: "tenant-b", roles: [.admin])
                let learnerA = harness.token("learner", tenant: "tenant-a", roles: [.learner])

                let ready = try await client.send("GET", "/health/ready")
                #expect(ready.status == 200, "PostgreSQL and Kafka are reachable: \(ready.text)")
                let openapi = try await client.send("GET", "/openapi.json")
                #expect(openapi.text.contains("\"/health/ready\"") && openapi.text.contains("\"/v1/notes\""))

                // Idempotent write: the same key answers the first response and writes once.
                let body = #"{"id":"n1","body":"hello"}"#
                let first = try await client.send("POST", "/v1/notes", token: adminA, body: body, headers: ["Idempotency-Key": "k-1"])
                let again = try await client.send("POST", "/v1/notes", token: adminA, body: body, headers: ["Idempotency-Key": "k-1"])
                #expect(first.status == 201)
                #expect(again.status == 201 && again.text == first.text)
                #expect(again.headers["Idempotent-Replayed"] == "true")

                // Tenant walls: B cannot see A's note, A can; a learner lacks the role.
                #expect(try await client.send("GET", "/v1/notes/n1", token: adminA).status == 200)
                let crossTenant = try await client.send("GET", "/v1/notes/n1", token: adminB)
                #expect(crossTenant.status == 404)
                #expect(crossTenant.headers["Content-Type"] == "application/problem+json")
                #expect(try await client.send("GET", "/v1/notes/n1", token: learnerA).status == 403)
                #expect(try await client.send("GET", "/v1/notes/n1").status == 401)

                // The event left through the outbox exactly once, with CloudEvents headers and the trace.
                let received = await collect(probe, timeout: .seconds(20)) { !$0.isEmpty }
                #expect(received.count == 1)
                #expect(received.first?.keyString == "tenant-a/n1")
                #expect(received.first?.headers.string(for: "ce_source") == "/lms/notes-service")
                #expect(received.first?.headers.string(for: "traceparent") != nil)
            }
        }
    }
}
