import CRdKafka

/// Builds an `rd_kafka_conf_t` from string properties, refusing unknown keys or bad values.
enum RDKafkaConfig {
    static func make(properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError.configuration("rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let text = errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                throw KafkaError.configuration("\(key): \(text)")
            }
        }
        return conf
    }

    /// A client handle of `type` over `properties`; `configure` adjusts the configuration first.
    static func handle(
        _ type: rd_kafka_type_t,
        properties: [String: String],
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) -> OpaquePointer {
        let conf = try make(properties: properties)
        configure(conf)
        var errorText = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.configuration(errorText.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return handle
    }
}
