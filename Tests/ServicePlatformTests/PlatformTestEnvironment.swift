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

/// Runs `services` in a ServiceGroup while `body` runs, then shuts them down gracefully.
func withRunning<R: Sendable>(
    _ services: [any Service], logger: Logger, _ body: @Sendable () async throws -> R
) async throws -> R {
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Reads messages until `done` says so or the timeout passes.
func collect(
    _ consumer: KafkaConsumer, timeout: Duration = .seconds(30), until done: @escaping @Sendable ([KafkaConsumerMessage]) -> Bool
) async -> [KafkaConsumerMessage] {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    return await withTaskGroup(of: [KafkaConsumerMessage]?.self) { group in
        group.addTask {
            var collected: [KafkaConsumerMessage] = []
            for await batch in consumer.batches(maxMessages: 1000) {
                collected += batch
                consumer.storeOffsets(for: batch)
                if done(collected) || clock.now >= deadline { break }
            }
            return collected
        }
        group.addTask {
            try? await Task.sleep(until: deadline, clock: clock)
            return nil
        }
        var result: [KafkaConsumerMessage] = []
        while let next = await group.next() {
            if let messages = next {
                result = messages
                group.cancelAll()
            } else {
                group.cancelAll()
            }
        }
        return result
    }
}

/// Polls `condition` until it holds or the timeout passes.
func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
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
