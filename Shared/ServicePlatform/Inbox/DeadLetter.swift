import Contracts
import Foundation
import Kafka

/// Builds the dead-letter record for a refused message: the original key, value and headers
/// unchanged, plus the `dlq_*` headers of the contract saying where it came from and why.
public enum DeadLetter {
    public static func message(for original: KafkaConsumerMessage, consumerGroup: String, errorClass: String, errorMessage: String, failedAt: Date = Date()) -> KafkaProducerMessage {
        var headers = original.headers
        headers.append(KafkaHeader(key: "dlq_source_topic", value: original.topic))
        headers.append(KafkaHeader(key: "dlq_source_partition", value: String(original.partition)))
        headers.append(KafkaHeader(key: "dlq_source_offset", value: String(original.offset)))
        headers.append(KafkaHeader(key: "dlq_consumer_group", value: consumerGroup))
        headers.append(KafkaHeader(key: "dlq_error_class", value: errorClass))
        headers.append(KafkaHeader(key: "dlq_error_message", value: String(errorMessage.prefix(2_000))))
        headers.append(KafkaHeader(key: "dlq_failed_at", value: RFC3339.format(failedAt)))
        return KafkaProducerMessage(topic: Topic.deadLetter.name, key: original.key, value: original.value, headers: headers)
    }
}
