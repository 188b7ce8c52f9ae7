import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// A fresh mock cluster per test with uniquely named topics and groups.
struct KafkaTestCluster {
    let cluster: KafkaMockCluster
    let logger: Logger

    init(brokers: Int32 = 3) throws {
        cluster = try KafkaMockCluster(brokers: brokers)
        var logger = Logger(label: "kafka-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
    }

    func makeTopic(partitions: Int32 = 12) throws -> String {
        let name = "test-\(UUID().uuidString.prefix(8).lowercased())"
        try cluster.createTopic(name, partitions: partitions, replicationFactor: 3)
        return name
    }

    func producer(messageTimeoutMilliseconds: Int = 30_000) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers, clientId: "test-producer")
        configuration.messageTimeoutMilliseconds = messageTimeoutMilliseconds
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    func consumer(group: String, topics: [String]) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupId: group, topics: topics)
        configuration.sessionTimeoutMilliseconds = 6_000
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

/// Collects batches until `count` messages arrived or `timeout` passed.
func collect(
    _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), storeOffsets: Bool = true
) async -> [KafkaConsumerMessage] {
    await collect(consumer, timeout: timeout, storeOffsets: storeOffsets) { $0.count >= count }
}

/// Collects batches until `done` says so or `timeout` passed.
func collect(
    _ consumer: KafkaConsumer, timeout: Duration, storeOffsets: Bool = true,
    until done: @escaping @Sendable ([KafkaConsumerMessage]) -> Bool
) async -> [KafkaConsumerMessage] {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    var messages: [KafkaConsumerMessage] = []
    await withTaskGroup(of: [KafkaConsumerMessage].self) { group in
        group.addTask {
            var collected: [KafkaConsumerMessage] = []
            for await batch in consumer.batches(maxMessages: 1000) {
                collected += batch
                if storeOffsets { consumer.storeOffsets(for: batch) }
                if done(collected) || clock.now >= deadline { break }
            }
            return collected
        }
        group.addTask {
            try? await Task.sleep(until: deadline, clock: clock)
            return []
        }
        messages = await group.next() ?? []
        group.cancelAll()
        messages += await group.next() ?? []
    }
    return messages
}
