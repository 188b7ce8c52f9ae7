import CRdKafka

/// Metadata and CreateTopics through librdkafka. Both block the calling thread (KafkaAdmin runs them off
/// the cooperative pool). The mock cluster answers Metadata but not CreateTopics.
enum RDKafkaAdmin {
    /// Name → partition count of every topic the cluster reports (a Metadata request for all topics).
    static func topics(properties: [String: String], timeoutMilliseconds: Int32) throws(KafkaError) -> [String: Int32] {
        let handle = try RDKafkaConfig.handle(RD_KAFKA_PRODUCER, properties: properties)
        defer { rd_kafka_destroy(handle) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle, 1, nil, &metadata, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            if let metadata { rd_kafka_metadata_destroy(metadata) }
            throw RDKafkaClient.error(code)
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var topics: [String: Int32] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, let name = topic.topic else { continue }
            topics[String(cString: name)] = topic.partition_cnt
        }
        return topics
    }

    /// Creates `topics`; the outcome per topic name (`nil`: created).
    static func createTopics(
        properties: [String: String],
        topics: [KafkaTopicSpecification],
        timeoutMilliseconds: Int32
    ) throws(KafkaError) -> [String: KafkaError?] {
        let handle = try RDKafkaConfig.handle(RD_KAFKA_PRODUCER, properties: properties)
        defer { rd_kafka_destroy(handle) }
        var errorText = [CChar](repeating: 0, count: 512)

        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errorText, errorText.count) else {
                throw KafkaError.configuration("\(topic.name): \(errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })")
            }
            newTopics.append(newTopic)
            for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                let code = rd_kafka_NewTopic_set_config(newTopic, key, value)
                if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(code, message: "\(topic.name) \(key)") }
            }
        }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1000) else {
            throw KafkaError(code: .timedOut, name: "_TIMED_OUT", message: "CreateTopics did not answer in time")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw RDKafkaClient.error(eventError, message: rd_kafka_event_error_string(event).map { String(cString: $0) })
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return [:] }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [:] }
        var outcome: [String: KafkaError?] = [:]
        for index in 0..<count {
            let topicResult = results[index]
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            let code = rd_kafka_topic_result_error(topicResult)
            outcome[name] =
                code == RD_KAFKA_RESP_ERR_NO_ERROR
                ? nil : RDKafkaClient.error(code, message: rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) })
        }
        return outcome
    }
}
