import Dispatch

/// What a topic should look like when it is created.
public struct KafkaTopicSpecification: Sendable, Hashable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int32
    /// Topic configs such as `cleanup.policy=compact`.
    public var config: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int32, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// Administrative operations on a Kafka cluster, for deployment tooling (`lmsctl topics apply`).
/// `topics` also works against the mock cluster; `createTopics` needs a real Kafka.
public enum KafkaAdmin {
    /// Name → partition count of every topic in the cluster.
    public static func topics(
        bootstrapServers: String,
        security: KafkaSecurity = .plaintext,
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [String: Int32] {
        let properties = Self.properties(bootstrapServers, security)
        let milliseconds = Int32(clamping: timeout.milliseconds)
        return try await offPool { () throws(KafkaError) in
            try RDKafkaAdmin.topics(properties: properties, timeoutMilliseconds: milliseconds)
        }
    }

    /// Creates the topics; a topic that already exists counts as success.
    /// - Returns: the topics that were newly created.
    public static func createTopics(
        _ topics: [KafkaTopicSpecification],
        bootstrapServers: String,
        security: KafkaSecurity = .plaintext,
        timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [String] {
        let properties = Self.properties(bootstrapServers, security)
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let outcome = try await offPool { () throws(KafkaError) in
            try RDKafkaAdmin.createTopics(properties: properties, topics: topics, timeoutMilliseconds: milliseconds)
        }
        var created: [String] = []
        for (name, error) in outcome.sorted(by: { $0.key < $1.key }) {
            switch error {
            case nil: created.append(name)
            case let error? where error.code == .topicAlreadyExists: continue
            case let error?: throw error
            }
        }
        return created
    }

    private static func properties(_ bootstrapServers: String, _ security: KafkaSecurity) -> [String: String] {
        security.properties.merging(["bootstrap.servers": bootstrapServers]) { _, new in new }
    }

    /// Runs a blocking librdkafka call on a dispatch thread, off Swift's cooperative pool.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws(KafkaError) -> T) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(KafkaError) in try work() })
            }
        }
        return try result.get()
    }
}
