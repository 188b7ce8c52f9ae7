import Contracts
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServicePlatform
import TestSupport
import Testing
import UserService

/// The whole user-service as `ServiceApplication` builds it (see ``ServiceHarness``), plus a probe
/// reading `lms.users.v1` and `lms.dlq.v1` into ``log`` for as long as the test runs.
struct UserServiceHarness: Sendable {
    let harness: ServiceHarness
    let log: MessageLog

    var http: HTTPProbe { harness.http }
    var logger: Logger { harness.logger }
    var schema: String { harness.schema }
    /// The test's own pool on the service's schema.
    var database: PostgresClient { harness.database.client }

    func token(tenant: String = "acme", roles: [Role] = [.admin], scopes: [Scope] = [], subject: String = "admin-1") -> String {
        harness.token(subject, tenant: tenant, roles: roles, scopes: scopes)
    }

    /// Runs the service and the probe while `body` runs, then stops them and drops the schema.
    static func run(_ body: @Sendable (UserServiceHarness) async throws -> Void) async throws {
        try await ServiceHarness.run(.userService, schemaPrefix: "users") { harness in
            let probe = try harness.probe([.users, .deadLetter])
            let log = MessageLog()
            try await withRunning([probe], logger: harness.logger) {
                let reader = Task {
                    for await batch in probe.batches(maxMessages: 1_000) {
                        await log.append(batch)
                        probe.storeOffsets(for: batch)
                    }
                }
                defer { reader.cancel() }
                let users = UserServiceHarness(harness: harness, log: log)
                try await users.waitUntilReady()
                try await body(users)
            }
        }
    }

    /// The consumers have joined their groups once the service reports ready.
    private func waitUntilReady() async throws {
        guard try await eventually(timeout: .seconds(20), { try await http.send("GET", "/health/ready").status == 200 }) else {
            throw ServiceHarness.HarnessError.serverDidNotStart
        }
    }

    // MARK: Platform events

    /// Publishes events on `platform.user-events.v1` in order (binary mode, key `tenant/userId`).
    func publish(_ events: [CloudEvent]) async throws {
        try await publish(raw: events.map(Self.message))
    }

    /// Publishes messages as they are (also ones no CloudEvent type would route) and waits for delivery.
    func publish(raw messages: [KafkaProducerMessage]) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: harness.cluster.bootstrapServers, clientId: "hr-sync"),
            logger: logger
        )
        try await withRunning([producer], logger: logger) {
            let reports = await producer.send(batch: messages)
            #expect(reports.filter(\.isDelivered).count == messages.count, "every input event is delivered")
        }
    }

    static func message(_ event: CloudEvent) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: Topic.platformUserEvents.name,
            key: event.kafkaKey,
            value: event.data,
            headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
        )
    }

    // MARK: Database

    /// The first column of the first row of `sql` as an integer (0 without rows).
    func count(_ sql: String) async throws -> Int {
        try await harness.count(sql)
    }

    /// One stored user, or `nil`.
    func user(_ userId: String, tenant: String = "acme") async throws -> StoredUser? {
        let rows = try await database.query(
            "SELECT row_to_json(u)::text FROM users u WHERE tenant_id = \(tenant) AND user_id = \(userId)", logger: logger)
        for try await json in rows.decode(String.self) { return try LMSJSON.decode(StoredUser.self, from: Array(json.utf8)) }
        return nil
    }

    /// The history of a user in version order.
    func history(_ userId: String, tenant: String = "acme") async throws -> [HistoryRow] {
        let rows = try await database.query(
            "SELECT row_to_json(h)::text FROM user_history h WHERE tenant_id = \(tenant) AND user_id = \(userId) ORDER BY version, id",
            logger: logger)
        var result: [HistoryRow] = []
        for try await json in rows.decode(String.self) { result.append(try LMSJSON.decode(HistoryRow.self, from: Array(json.utf8))) }
        return result
    }
}

extension HTTPProbe.Answer {
    /// `field` of each entry of a problem's `errors`.
    var errorFields: [String] {
        (json["errors"]?.arrayValue ?? []).compactMap { $0.string("field") }
    }
}
