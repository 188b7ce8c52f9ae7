/// Where a consumer starts reading the partitions it is assigned, when the offsets that count are
/// stored outside Kafka (in the database, in the transaction that applied the messages: Kafka's
/// "Storing Offsets Outside Kafka").
///
/// Called on every assignment, before fetching begins, on the consumer's own polling thread (never
/// on Swift's cooperative pool, so it may block on a database round trip). Partitions it leaves out
/// start at the group's committed offset.
public struct KafkaStartingOffsets: Sendable {
    /// An assigned partition with the end of its log as the broker reported it (nil when the broker
    /// did not answer in time).
    public struct Assigned: Sendable, Hashable {
        public var topicPartition: KafkaTopicPartition
        /// The offset the next produced message will get (the high watermark).
        public var logEnd: Int64?
    }

    let offsets: @Sendable ([Assigned]) -> [KafkaTopicPartition: Int64]

    /// - Parameter offsets: the next offset to read per partition.
    public init(_ offsets: @escaping @Sendable ([Assigned]) -> [KafkaTopicPartition: Int64]) {
        self.offsets = offsets
    }
}
