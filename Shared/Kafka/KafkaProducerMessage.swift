/// A record to produce. With a key and no explicit partition, the configured partitioner
/// (`murmur2_random` by default here) picks the partition, so equal keys stay ordered.
public struct KafkaProducerMessage: Sendable, Hashable {
    public var topic: String
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]

    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(topic: String, key: String, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: Array(key.utf8), value: value, headers: headers)
    }
}
