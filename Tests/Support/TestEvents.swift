import Contracts
import Foundation
import Kafka
import Logging

/// Putting CloudEvents on topics and reading them back, as the platform around the system does.
public enum TestEvents {
    public struct NotDelivered: Error, CustomStringConvertible {
        public var description: String { "the test events were not all delivered to Kafka" }
    }

    /// Publishes `events` to their topics (binary mode, contract keys) and waits for delivery.
    public static func publish(_ events: [CloudEvent], brokers: String, logger: Logger) async throws {
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: brokers, clientId: "tests"), logger: logger)
        try await withRunning([producer], logger: logger) {
            let messages = events.compactMap { event in
                event.type.topic.map { topic in
                    KafkaProducerMessage(
                        topic: topic.name, key: event.kafkaKey, value: event.data,
                        headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) })
                }
            }
            let reports = await producer.send(batch: messages)
            guard reports.count == events.count, reports.allSatisfy(\.isDelivered) else { throw NotDelivered() }
        }
    }

    /// A consumer in a group of its own reading `topics` from the beginning.
    public static func probe(_ topics: [Topic], brokers: String, logger: Logger) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupId: "probe-\(UUID())", topics: topics.map(\.name))
        configuration.statisticsIntervalMilliseconds = 0
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }

    /// The CloudEvent in a consumed message (nil when it is not one).
    public static func decode(_ message: KafkaConsumerMessage) -> CloudEvent? {
        try? CloudEvent.decode(headers: message.headers.map { ($0.key, $0.value ?? []) }, value: message.value)
    }
}
