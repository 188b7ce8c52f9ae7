import Foundation
import Kafka
import Logging

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
