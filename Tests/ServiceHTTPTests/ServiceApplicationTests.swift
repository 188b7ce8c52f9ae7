import Contracts
import Foundation
import Hummingbird
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform
import Synchronization
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A whole service assembled by `ServiceApplication` (PostgreSQL, producer, relay, HTTP), reached
/// over a real socket: platform routes, tenant walls, idempotent writes through the database, and
/// events leaving through the outbox.
@Suite("Service application", .serialized, .timeLimit(.minutes(2)))
struct ServiceApplicationTests {
    private static let secret = "a-test-secret-that-is-long-enough-for-hs256"

    /// A tiny service: notes per tenant. `POST /v1/notes` writes a note and an event through the outbox.
    private static func definition(schema: String) -> ServiceDefinition {
        ServiceDefinition(
            name: "notes-service",
            defaultPort: 0,
            schema: schema,
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
        let databaseURL = try #require(ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"], "run through scripts/test")
        let schema = "notes_\(UUID().uuidString.prefix(8).lowercased())"
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }
        var logger = Logger(label: "service-application-test")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let configuration = ServiceConfiguration(
            serviceName: "notes-service",
            database: try DatabaseURL(databaseURL),
            kafkaBrokers: cluster.bootstrapServers,
            jwtSecret: Self.secret,
            httpHost: "127.0.0.1",
            httpPort: 0,
            logLevel: logger.logLevel
        )
        let port = BoundPort()
        let group = try ServiceApplication.build(
            Self.definition(schema: schema),
            configuration: configuration,
            logger: logger,
            onServerRunning: { bound in port.set(bound) }
        )

        var probeConfiguration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupId: "probe", topics: [Topic.users.name])
        probeConfiguration.statisticsIntervalMilliseconds = 0
        let probe = try KafkaConsumer(configuration: probeConfiguration, logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let probeGroup = ServiceGroup(configuration: .init(services: [probe], logger: logger))
            tasks.addTask { try await probeGroup.run() }
            do {
                let base = try await port.baseURL()
                let client = HTTPProbe(base: base)
                let adminA = JWTVerification.mintHS256(subject: "admin-a", tenant: "tenant-a", roles: [.admin], secret: Self.secret, expiresIn: 600)
                let adminB = JWTVerification.mintHS256(subject: "admin-b", tenant: "tenant-b", roles: [.admin], secret: Self.secret, expiresIn: 600)
                let learnerA = JWTVerification.mintHS256(
                    subject: "learner",
                    tenant: "tenant-a",
                    roles: [.learner],
                    secret: Self.secret,
                    expiresIn: 600
                )

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
            } catch {
                await group.triggerGracefulShutdown()
                await probeGroup.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            await probeGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
