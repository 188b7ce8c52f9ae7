import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// A producer and, optionally, a consumer (a group of its own, from the earliest offset) running
/// for the duration of `body`; `onMessage` sees every consumed message with the instant it arrived.
enum KafkaSession {
    static func with<R: Sendable>(
        brokers: String, consume topics: [String] = [],
        onMessage: @escaping @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { _, _ in },
        _ body: @Sendable (KafkaProducer) async throws -> R
    ) async throws -> R {
        var logger = Logger(label: "lms-bench")
        logger.logLevel = .error
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: brokers, clientId: "lms-bench")
        producerConfiguration.lingerMilliseconds = 1
        producerConfiguration.statisticsIntervalMilliseconds = 0
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var consumer: KafkaConsumer?
        if !topics.isEmpty {
            var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupId: "lms-bench-\(UUID())", topics: topics)
            configuration.statisticsIntervalMilliseconds = 0
            configuration.shutdownDrainTimeout = .seconds(2)
            configuration.additionalProperties["fetch.wait.max.ms"] = "5"
            consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        }
        let services: [any Service] = [producer] + (consumer.map { [$0] } ?? [])
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            if let consumer {
                tasks.addTask {
                    let clock = ContinuousClock()
                    for await batch in consumer.batches(maxMessages: 5_000) {
                        let now = clock.now
                        for message in batch { onMessage(message, now) }
                    }
                }
                // The first group join takes about 3 s on the development broker.
                let deadline = ContinuousClock.now + .seconds(30)
                while consumer.assignment.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            }
            do {
                let result = try await body(producer)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                tasks.cancelAll()
                throw error
            }
        }
    }
}
