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

/// Administrative operations on a real Kafka cluster, for deployment tooling.
public enum KafkaAdmin {
    /// Creates the topics; a topic that already exists counts as success.
    /// - Returns: the topics that were newly created.
    public static func createTopics(
        _ topics: [KafkaTopicSpecification], bootstrapServers: String, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [String] {
        let milliseconds = Int32(timeout.components.seconds * 1000)
        let result: Result<[String: KafkaError?], KafkaError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(KafkaError) in
                    try RDKafkaAdmin.createTopics(bootstrapServers: bootstrapServers, topics: topics, timeoutMilliseconds: milliseconds)
                })
            }
        }
        var created: [String] = []
        for (name, error) in try result.get().sorted(by: { $0.key < $1.key }) {
            switch error {
            case nil: created.append(name)
            case let error? where error.code == .topicAlreadyExists: continue
            case let error?: throw error
            }
        }
        return created
    }
}
