/// Settings for ``KafkaProducer``. The defaults are the project's policy: idempotent, `acks=all`,
/// `murmur2_random` partitioning (so Java clients agree on partitions) and a short linger.
public struct KafkaProducerConfiguration: Sendable {
    /// Comma-separated `host:port` list.
    public var bootstrapServers: String
    public var clientId: String
    public var lingerMilliseconds: Int = 5
    /// After this long without an acknowledgement a message fails with `_MSG_TIMED_OUT`.
    public var messageTimeoutMilliseconds: Int = 120_000
    public var idempotent: Bool = true
    public var statisticsIntervalMilliseconds: Int = 5_000
    /// How long graceful shutdown waits for outstanding deliveries.
    public var shutdownFlushTimeout: Duration = .seconds(10)
    /// TLS and authentication towards the brokers.
    public var security: KafkaSecurity = .plaintext
    /// Raw librdkafka properties applied last (escape hatch, e.g. `compression.type`).
    public var additionalProperties: [String: String] = [:]

    public init(bootstrapServers: String, clientId: String) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
    }

    var properties: [String: String] {
        var properties = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientId,
            "partitioner": "murmur2_random",
            "acks": "all",
            "enable.idempotence": idempotent ? "true" : "false",
            "linger.ms": String(lingerMilliseconds),
            "message.timeout.ms": String(messageTimeoutMilliseconds),
            "statistics.interval.ms": String(statisticsIntervalMilliseconds),
        ]
        properties.merge(security.properties) { _, new in new }
        properties.merge(additionalProperties) { _, new in new }
        return properties
    }
}
