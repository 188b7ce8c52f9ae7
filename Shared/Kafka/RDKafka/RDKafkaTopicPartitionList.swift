import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t` and destroys it on deinit.
final class RDKafkaTopicPartitionList {
    struct Element {
        var topicPartition: KafkaTopicPartition
        var error: rd_kafka_resp_err_t
    }

    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    init(capacity: Int) {
        pointer = rd_kafka_topic_partition_list_new(Int32(max(capacity, 1)))
    }

    /// Takes ownership of a list librdkafka allocated for us.
    init(owning pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
    }

    deinit { rd_kafka_topic_partition_list_destroy(pointer) }

    func add(topic: String, partition: Int32, offset: Int64? = nil) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)
        if let offset { element?.pointee.offset = offset }
    }

    var elements: [Element] {
        (0..<Int(pointer.pointee.cnt)).map { index in
            let element = pointer.pointee.elems[index]
            return Element(
                topicPartition: KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                error: element.err
            )
        }
    }
}
