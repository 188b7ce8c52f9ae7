import Contracts
import Foundation
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform
import Synchronization
import Testing
import UserService

/// The whole user-service assembled by `ServiceApplication` (PostgreSQL schema of its own, the
/// in-process development broker, outbox relay, consumer, HTTP on a free port), plus a producer
/// for platform user events, a probe reading `lms.users.v1` and `lms.dlq.v1`, and a PostgreSQL
/// client on the service's schema for assertions.
struct UserServiceHarness: Sendable {
    static let secret = "a-test-secret-that-is-long-enough-for-hs256"

    let http: APIClient
    let producer: KafkaProducer
    let log: MessageLog
    let database: PostgresClient
    let schema: String
    let logger: Logger

    /// Runs the service while `body` runs, then stops it gracefully.
    static func run(_ body: @Sendable (UserServiceHarness) async throws -> Void) async throws {
        let databaseURL = try DatabaseURL(
            try #require(ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"], "run the tests through scripts/test")
        )
        var logger = Logger(label: "user-service-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }

        var definition = ServiceDefinition.userService
        definition.schema = "users_" + UUID().uuidString.prefix(8).lowercased()
        let configuration = ServiceConfiguration(
            serviceName: "user-service",
            database: databaseURL,
            kafkaBrokers: cluster.bootstrapServers,
            jwtSecret: secret,
            httpHost: "127.0.0.1",
            httpPort: 0,
            logLevel: logger.logLevel
        )
        let port = Mutex(0)
        let service = try ServiceApplication.build(
            definition,
            configuration: configuration,
            logger: logger,
            onServerRunning: { bound in port.withLock { $0 = bound } }
        )

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, clientId: "hr-sync"),
            logger: logger
        )
        var probeConfiguration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers,
            groupId: "probe-\(UUID())",
            topics: [Topic.users.name, Topic.deadLetter.name]
        )
        probeConfiguration.statisticsIntervalMilliseconds = 0
        let probe = try KafkaConsumer(configuration: probeConfiguration, logger: logger)
        var clientConfiguration = PostgresClient.Configuration(
            host: databaseURL.host,
            port: databaseURL.port,
            username: databaseURL.username,
            password: databaseURL.password,
            database: databaseURL.database,
            tls: .disable
        )
        clientConfiguration.options.additionalStartupParameters = [("search_path", definition.schema)]
        let database = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let tools = ServiceGroup(configuration: .init(services: [database, producer, probe], logger: logger))
        let log = MessageLog()

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await service.run() }
            tasks.addTask { try await tools.run() }
            tasks.addTask {
                for await batch in probe.batches(maxMessages: 1_000) {
                    await log.append(batch)
                    probe.storeOffsets(for: batch)
                }
            }
            let stop: @Sendable () async -> Void = {
                await service.triggerGracefulShutdown()
                await tools.triggerGracefulShutdown()
            }
            do {
                let base = try await waitForPort(port)
                let harness = UserServiceHarness(
                    http: APIClient(base: base),
                    producer: producer,
                    log: log,
                    database: database,
                    schema: definition.schema,
                    logger: logger
                )
                try await harness.waitUntilReady()
                try await body(harness)
                await stop()
                try await tasks.waitForAll()
            } catch {
                await stop()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    private static func waitForPort(_ port: borrowing Mutex<Int>) async throws -> String {
        for _ in 0..<600 {
            let bound = port.withLock { $0 }
            if bound > 0 { return "http://127.0.0.1:\(bound)" }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ConfigurationError("the HTTP server did not start")
    }

    private func waitUntilReady() async throws {
        for _ in 0..<200 {
            if try await http.send("GET", "/health/ready").status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ConfigurationError("user-service did not become ready")
    }

    // MARK: Tokens

    func token(tenant: String = "acme", roles: [Role] = [.admin], scopes: [Scope] = [], subject: String = "admin-1") -> String {
        JWTVerification.mintHS256(subject: subject, tenant: tenant, roles: roles, scopes: scopes, secret: Self.secret, expiresIn: .seconds(600))
    }

    // MARK: Platform events

    /// Publishes events on `platform.user-events.v1` in order (binary mode, key `tenant/userId`).
    func publish(_ events: [CloudEvent]) async throws {
        try await publish(raw: events.map(Self.message))
    }

    func publish(raw messages: [KafkaProducerMessage]) async throws {
        let reports = await producer.send(batch: messages)
        #expect(reports.filter(\.isDelivered).count == messages.count, "every input event is delivered")
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

    /// Polls `condition` until it holds (or the timeout passes); returns whether it held.
    func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// The first column of the first row of `sql` as an integer (0 without rows).
    func count(_ sql: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    /// One stored user, or `nil`.
    func user(_ userId: String, tenant: String = "acme") async throws -> StoredUser? {
        let rows = try await database.query(
            """
            SELECT status, email, given_name, family_name, job_role, department, location, hire_date::text, manager_id,
                   attributes::text, version, source_version
            FROM users WHERE tenant_id = \(tenant) AND user_id = \(userId)
            """,
            logger: logger
        )
        for try await row in rows.decode(
            (String, String?, String?, String?, String?, String?, String?, String?, String?, String, Int64, Int64?).self
        ) {
            let attributes = (try? JSONValue(parsing: Array(row.9.utf8))) ?? .null
            return StoredUser(
                status: row.0,
                email: row.1,
                givenName: row.2,
                familyName: row.3,
                jobRole: row.4,
                department: row.5,
                location: row.6,
                hireDate: row.7,
                managerId: row.8,
                attributes: attributes,
                version: row.10,
                sourceVersion: row.11
            )
        }
        return nil
    }

    /// The history of a user in version order: (action, changed fields, changes JSON text, reason).
    func history(_ userId: String, tenant: String = "acme") async throws -> [HistoryRow] {
        let rows = try await database.query(
            """
            SELECT action, changed_fields, changes::text, reason, actor, origin, version FROM user_history
            WHERE tenant_id = \(tenant) AND user_id = \(userId) ORDER BY version, id
            """,
            logger: logger
        )
        var result: [HistoryRow] = []
        for try await (action, fields, changes, reason, actor, origin, version) in rows.decode(
            (String, [String], String?, String?, String, String, Int64).self
        ) {
            result.append(
                HistoryRow(action: action, changedFields: fields, changes: changes, reason: reason, actor: actor, origin: origin, version: version)
            )
        }
        return result
    }
}
