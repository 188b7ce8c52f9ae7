import Contracts
import Foundation
import Kafka
import Logging
import ServicePlatform
import TestSupport

/// A development Kafka cluster with every contract topic, plus a fresh PostgreSQL schema, per test.
struct PlatformTestEnvironment {
    let cluster: KafkaMockCluster
    let databaseURL: DatabaseURL
    let schema: String
    let logger: Logger

    init() throws {
        databaseURL = try ServiceHarness.testDatabaseURL()
        cluster = try KafkaMockCluster(brokers: 3)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 12, replicationFactor: 3) }
        schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        logger = ServiceHarness.testLogger("platform-tests")
    }

    func database(migrations: [Migration] = []) -> ServiceDatabase {
        ServiceDatabase(url: databaseURL, schema: schema, migrations: migrations, logger: logger, maxConnections: 8)
    }

    /// Runs `body` with a started database on a schema of its own (no migrations).
    static func withDatabase(_ body: @Sendable (ServiceDatabase, Logger) async throws -> Void) async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        try await withRunning([database], logger: environment.logger) {
            try await database.ready()
            try await body(database, environment.logger)
        }
    }

    func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, clientId: "platform-tests"), logger: logger)
    }

    func consumer(topics: [Topic]) throws -> KafkaConsumer {
        try TestEvents.probe(topics, brokers: cluster.bootstrapServers, logger: logger)
    }
}

func activity(tenant: String = "acme", user: String, module: String = "m1", progress: Double? = 0.5) -> LearningActivity {
    LearningActivity(
        tenantId: tenant, statementId: UUID(), userId: user, courseId: "course-1", moduleId: module, verb: .progressed,
        progress: progress, score: nil, durationSeconds: 30, occurredAt: Date())
}

func kafkaMessage(_ event: CloudEvent, topic: Topic) -> KafkaProducerMessage {
    KafkaProducerMessage(
        topic: topic.name, key: event.kafkaKey, value: event.data,
        headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) })
}
