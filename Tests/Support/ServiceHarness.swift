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

/// One service as `ServiceApplication` builds it — PostgreSQL in a throwaway schema, an in-process
/// development Kafka cluster, HTTP on a free port — plus a second pool on the same schema, so a
/// test can drive event handlers directly, read tables and talk HTTP to the same service.
public struct ServiceHarness: Sendable {
    public static let secret = "service-harness-secret-long-enough-for-hs256"

    public let http: HTTPProbe
    /// The port the service's HTTP server bound on 127.0.0.1.
    public let port: Int
    /// The test's own pool on the service's schema (already migrated).
    public let database: ServiceDatabase
    public let cluster: KafkaMockCluster
    public let logger: Logger
    public let databaseURL: DatabaseURL

    public var schema: String { database.schema }

    public func token(_ userId: String, tenant: String = "acme", roles: [Role], scopes: [Scope] = []) -> String {
        JWTVerification.mintHS256(subject: userId, tenant: tenant, roles: roles, scopes: scopes, secret: Self.secret, expiresIn: 3600)
    }

    public func admin(_ tenant: String = "acme") -> String { token("admin-\(tenant)", tenant: tenant, roles: [.admin]) }

    public func learner(_ userId: String, tenant: String = "acme") -> String { token(userId, tenant: tenant, roles: [.learner]) }

    /// Feeds events to a handler as the consumer runtime would (one batch, one transaction).
    @discardableResult
    public func deliver(_ events: [CloudEvent], to handler: some EventHandler, database: ServiceDatabase? = nil) async throws -> [EventRejection] {
        let consumed = Self.consumed(events)
        return try await (database ?? self.database).transaction { connection in
            try await handler.handle(consumed, on: connection)
        }
    }

    /// Events as the consumer runtime hands them to handlers.
    public static func consumed(_ events: [CloudEvent]) -> [ConsumedEvent] {
        events.enumerated().map { index, event in
            ConsumedEvent(
                event: event,
                message: KafkaConsumerMessage(
                    topic: event.type.topic?.name ?? "",
                    partition: 0,
                    offset: Int64(index),
                    key: Array(event.kafkaKey.utf8),
                    value: event.data,
                    headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
                )
            )
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    public func count(_ sql: String) async throws -> Int {
        try await database.count(sql)
    }

    /// The events the service enqueued in its outbox for `topic` (published or not), in order, decoded as `payload`.
    public func outbox<P: EventPayload>(_ topic: Topic, as payload: P.Type) async throws -> [(type: String, payload: P)] {
        let rows = try await database.client.query(
            "SELECT event_type, payload FROM outbox_copies WHERE topic = \(topic.name) ORDER BY id",
            logger: logger
        )
        var events: [(type: String, payload: P)] = []
        for try await (type, json) in rows.decode((String, String).self) {
            events.append((type, try LMSJSON.decode(P.self, from: Array(json.utf8))))
        }
        return events
    }

    /// Publishes `events` to their topics and waits for delivery.
    public func publish(_ events: [CloudEvent]) async throws {
        try await TestEvents.publish(events, brokers: cluster.bootstrapServers, logger: logger)
    }

    /// A consumer in a group of its own reading `topics` from the beginning.
    public func probe(_ topics: [Topic]) throws -> KafkaConsumer {
        try TestEvents.probe(topics, brokers: cluster.bootstrapServers, logger: logger)
    }

    // MARK: Running

    /// The relay deletes outbox rows once Kafka has them; tests read what a service enqueued from
    /// `outbox_copies`, which a trigger fills with every committed outbox row.
    static func outboxCopies(schema: String) -> Migration {
        Migration(
            version: 9_000,
            name: "tests: copies of every outbox row",
            statements: [
                "CREATE TABLE outbox_copies (LIKE outbox)",
                """
                CREATE FUNCTION copy_outbox_rows() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO \(schema).outbox_copies SELECT * FROM inserted;
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER copy_outbox_rows AFTER INSERT ON outbox REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION copy_outbox_rows()
                """,
            ]
        )
    }

    public enum HarnessError: Error, CustomStringConvertible {
        case missingDatabaseURL
        case serverDidNotStart

        public var description: String {
            switch self {
            case .missingDatabaseURL: "LMS_TEST_DATABASE_URL must name a test database (scripts/test sets it)"
            case .serverDidNotStart: "the HTTP server did not start within 150 s"
            }
        }
    }

    /// The test database from `LMS_TEST_DATABASE_URL`.
    public static func testDatabaseURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"] else { throw HarnessError.missingDatabaseURL }
        return try DatabaseURL(text)
    }

    /// A logger at `LMS_TEST_LOG_LEVEL` (default critical, so passing runs stay quiet).
    public static func testLogger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    /// Starts `definition` over a fresh schema named `<schemaPrefix>_<random>`, runs `body`, shuts
    /// everything down and drops the schema, also when `body` throws.
    public static func run<R: Sendable>(
        _ definition: ServiceDefinition,
        schemaPrefix: String,
        edge: HTTPEdgeSettings = HTTPEdgeSettings(),
        _ body: @Sendable (ServiceHarness) async throws -> R
    ) async throws -> R {
        let databaseURL = try testDatabaseURL()
        let logger = testLogger(definition.name + "-tests")
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }
        let schema = schemaPrefix + "_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        var definition = definition
        definition.schema = schema
        definition.migrations += [outboxCopies(schema: schema)]
        var configuration = ServiceConfiguration(
            serviceName: definition.name,
            database: databaseURL,
            kafkaBrokers: cluster.bootstrapServers,
            jwtSecret: secret,
            httpHost: "127.0.0.1",
            httpPort: 0,
            logLevel: logger.logLevel
        )
        configuration.httpEdge = edge
        let port = Mutex(0)
        let app = try ServiceApplication.build(definition, configuration: configuration, logger: logger) { bound in
            port.withLock { $0 = bound }
        }
        let database = ServiceDatabase(url: databaseURL, schema: schema, migrations: definition.migrations, logger: logger, maxConnections: 8)
        let support = ServiceGroup(configuration: .init(services: [database], logger: logger))

        let appTask = Task { try await app.run() }
        let supportTask = Task { try await support.run() }
        func stop() async {
            await app.triggerGracefulShutdown()
            _ = try? await appTask.value
            _ = try? await database.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
            await support.triggerGracefulShutdown()
            _ = try? await supportTask.value
        }
        do {
            // The wait is long: at the start of the parallel test phase every suite migrates at once.
            var bound = 0
            for _ in 0..<3_000 where bound == 0 {
                bound = port.withLock { $0 }
                if bound == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            guard bound > 0 else { throw HarnessError.serverDidNotStart }
            try await database.ready()
            let harness = ServiceHarness(
                http: HTTPProbe(base: "http://127.0.0.1:\(bound)"),
                port: bound,
                database: database,
                cluster: cluster,
                logger: logger,
                databaseURL: databaseURL
            )
            let result = try await body(harness)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}

extension ServiceDatabase {
    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    public func count(_ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }
}
