import Contracts
import Foundation
import Kafka

/// Builds the dead-letter record for a refused message: the original key, value and headers
/// unchanged, plus the `dlq_*` headers of the contract saying where it came from and why.
public enum DeadLetter {
    public static func message(
        for original: KafkaConsumerMessage, consumerGroup: String, errorClass: String, errorMessage: String, failedAt: Date = Date()
    ) -> KafkaProducerMessage {
        var headers = original.headers
        let context: [(DeadLetterHeader, String)] = [
            (.sourceTopic, original.topic), (.sourcePartition, String(original.partition)), (.sourceOffset, String(original.offset)),
            (.consumerGroup, consumerGroup), (.errorClass, errorClass), (.errorMessage, String(errorMessage.prefix(2_000))),
            (.failedAt, RFC3339.format(failedAt)),
        ]
        headers += context.map { KafkaHeader(key: $0.0.rawValue, value: $0.1) }
        return KafkaProducerMessage(topic: Topic.deadLetter.name, key: original.key, value: original.value, headers: headers)
    }
}
