import Contracts
import Kafka

/// Every topic of the contract (`Topic.allCases`) as `deploy/base/kafka/topics.yaml` creates it:
/// cleanup policy per `Topic.isCompacted`; event topics keep 7 days, the resync topics 1 day, the DLQ
/// 14 days; report topics are compacted with segments rolled hourly. `Tests/LmsCtlTests` checks that
/// the two agree.
enum ContractTopics {
    static let day: Int64 = 86_400_000

    /// The specification of each contract topic, in `Topic.allCases` order.
    static func specifications(partitions: Int32, replicationFactor: Int32) -> [KafkaTopicSpecification] {
        Topic.allCases.map { specification($0, partitions: partitions, replicationFactor: replicationFactor) }
    }

    static func specification(_ topic: Topic, partitions: Int32, replicationFactor: Int32) -> KafkaTopicSpecification {
        // Two in-sync replicas out of three (the deploy manifests); one on smaller clusters, or
        // producers (acks=all) could never write.
        var config = ["min.insync.replicas": String(min(2, max(1, replicationFactor - 1)))]
        if topic.isCompacted {
            config["cleanup.policy"] = "compact"
            config["min.cleanable.dirty.ratio"] = "0.1"
            config["segment.ms"] = "3600000"
        } else {
            config["cleanup.policy"] = "delete"
            config["retention.ms"] = String(retentionDays(topic) * day)
        }
        return KafkaTopicSpecification(name: topic.name, partitions: partitions, replicationFactor: replicationFactor, config: config)
    }

    /// How long a non-compacted topic keeps its messages: a consumer must catch up within that.
    static func retentionDays(_ topic: Topic) -> Int64 {
        switch topic {
        case .resyncRequests, .resync: 1
        case .deadLetter: 14
        default: 7
        }
    }
}
