/// The outcome of one produced message, as librdkafka's delivery report states it.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The offset the broker assigned, or nil when delivery failed.
    public var offset: Int64?
    public var error: KafkaError?

    public var isDelivered: Bool { error == nil }

    public init(topic: String, partition: Int32, offset: Int64?, error: KafkaError?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error = error
    }
}
