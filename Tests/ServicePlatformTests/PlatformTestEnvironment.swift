import Contracts
import Foundation
import Kafka
import Logging
import PostgresNIO
import ServiceLifecycle
import ServicePlatform

/// A development Kafka cluster with every contract topic, plus a fresh PostgreSQL schema, per test.
struct PlatformTestEnvironment {
    let cluster: KafkaMockCluster
    let databaseURL: DatabaseURL
    let schema: String
    let logger: Logger

    init() throws {
        guard let url = ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"] else {
            throw ConfigurationError("LMS_TEST_DATABASE_URL is not set: run the tests through scripts/test")
        }
        databaseURL = try DatabaseURL(url)
        cluster = try KafkaMockCluster(brokers: 3)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 12, replicationFactor: 3) }
        schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        var logger = Logger(label: "platform-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        self.logger = logger
    }

    func database(migrations: [Migration] = []) -> ServiceDatabase {
        ServiceDatabase(url: databaseURL, schema: schema, migrations: migrations, logger: logger, maxConnections: 8)
    }

    func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, clientId: "platform-tests"), logger: logger)
    }

    func consumer(topics: [Topic]) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupId: "probe-\(UUID())", topics: topics.map(\.name))
        configuration.statisticsIntervalMilliseconds = 0
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }
}

extension ServiceDatabase {
    func count(_ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
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
