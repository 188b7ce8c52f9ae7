import Contracts
import Kafka

/// One message of `lms.dlq.v1`: where it sits in the DLQ, the `dlq_*` context, and the original
/// key, headers and value.
struct DeadLetterRecord: Sendable, Equatable {
    var partition: Int32
    var offset: Int64
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [KafkaHeader]

    func header(_ name: DeadLetterHeader) -> String? { headers.string(for: name.rawValue) }

    var sourceTopic: String? { header(.sourceTopic) }
    var sourcePartition: Int32? { header(.sourcePartition).flatMap { Int32($0) } }
    var sourceOffset: Int64? { header(.sourceOffset).flatMap { Int64($0) } }
    var errorClass: String? { header(.errorClass) }
    var errorMessage: String? { header(.errorMessage) }
    var failedAt: String? { header(.failedAt) }

    /// `ce_type` of a binary-mode event, else the `type` member of a structured-mode one.
    var eventType: String? {
        if let type = headers.string(for: CloudEvent.HeaderName.type) { return type }
        guard let value, let json = try? JSONValue(parsing: value) else { return nil }
        return json["type"]?.stringValue
    }

    var keyText: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// `topic[partition]@offset` of the original message.
    var sourceDescription: String {
        "\(sourceTopic ?? "?")[\(sourcePartition.map(String.init) ?? "?")]@\(sourceOffset.map(String.init) ?? "?")"
    }

    /// The original headers, without the `dlq_*` ones the dead-lettering consumer added.
    var originalHeaders: [KafkaHeader] {
        headers.filter { !$0.key.hasPrefix("dlq_") }
    }

    /// The message to publish again: to the source topic, with the original key and headers, and
    /// the original value or `payload` instead.
    func replayMessage(payload: [UInt8]? = nil) throws(CLIError) -> KafkaProducerMessage {
        guard let topic = sourceTopic, !topic.isEmpty else {
            throw CLIError("DLQ message \(partition):\(offset) has no dlq_source_topic header; cannot replay it")
        }
        return KafkaProducerMessage(topic: topic, key: key, value: payload ?? value, headers: originalHeaders)
    }
}

extension DeadLetterRecord {
    init(_ message: KafkaConsumerMessage) {
        self.init(partition: message.partition, offset: message.offset, key: message.key, value: message.value, headers: message.headers)
    }
}
