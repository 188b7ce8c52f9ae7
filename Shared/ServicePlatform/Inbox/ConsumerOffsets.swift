import Kafka
import Logging
import PostgresNIO

/// The `consumer_offsets` table: per consumer and partition, the next offset to apply. It is written
/// in the transaction that applies a batch, so the effects and the position commit together: a
/// message below the stored offset has been applied (or dead-lettered) and is skipped, whatever
/// Kafka's own committed offset says. Kafka's "Storing Offsets Outside Kafka".
struct ConsumerOffsets: Sendable {
    let consumer: String
    let logger: Logger

    /// The stored offsets of `partitions`, locked until the transaction ends: a former owner of a
    /// partition still applying a batch finishes first, and this transaction then sees how far it got.
    /// Partitions never stored get a row first, so that their first batches serialise too.
    func lock(_ partitions: Set<KafkaTopicPartition>, on connection: PostgresConnection) async throws -> [KafkaTopicPartition: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let sorted = partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        let topics = sorted.map(\.topic)
        let numbers = sorted.map(\.partition)
        try await connection.query(
            """
            INSERT INTO consumer_offsets (consumer, topic, partition, next_offset)
            SELECT \(consumer), t, p, 0 FROM unnest(\(topics)::text[], \(numbers)::int4[]) AS x(t, p)
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        let rows = try await connection.query(
            """
            SELECT o.topic, o.partition, o.next_offset FROM consumer_offsets o
            JOIN unnest(\(topics)::text[], \(numbers)::int4[]) AS x(t, p) ON o.topic = x.t AND o.partition = x.p
            WHERE o.consumer = \(consumer)
            ORDER BY o.topic, o.partition
            FOR UPDATE OF o
            """,
            logger: logger
        )
        var stored: [KafkaTopicPartition: Int64] = [:]
        for try await (topic, partition, offset) in rows.decode((String, Int32, Int64).self) {
            stored[KafkaTopicPartition(topic: topic, partition: partition)] = offset
        }
        return stored
    }

    /// Moves the stored offsets forward to `next` (never back).
    func advance(to next: [KafkaTopicPartition: Int64], on connection: PostgresConnection) async throws {
        guard !next.isEmpty else { return }
        let entries = Array(next)
        try await connection.query(
            """
            UPDATE consumer_offsets o SET next_offset = x.n, updated_at = now()
            FROM unnest(\(entries.map(\.key.topic))::text[], \(entries.map(\.key.partition))::int4[], \(entries.map(\.value))::int8[]) AS x(t, p, n)
            WHERE o.consumer = \(consumer) AND o.topic = x.t AND o.partition = x.p AND o.next_offset < x.n
            """,
            logger: logger
        )
    }

    /// Where the assigned partitions start: their stored offsets. A stored offset past the end of the
    /// partition's log can only mean the log was recreated (a topic deleted and created again, a
    /// development broker restarted): it is reset (unless it moved meanwhile), and the partition
    /// starts at the group's committed offset or, with none, at the start of the new log.
    func startingOffsets(for assigned: [KafkaStartingOffsets.Assigned], client: PostgresClient) async throws -> [KafkaTopicPartition: Int64] {
        let topics = Array(Set(assigned.map(\.topicPartition.topic)))
        let rows = try await client.query(
            """
            SELECT topic, partition, next_offset FROM consumer_offsets
            WHERE consumer = \(consumer) AND topic = ANY(\(topics)::text[]) AND next_offset > 0
            """,
            logger: logger
        )
        var stored: [KafkaTopicPartition: Int64] = [:]
        for try await (topic, partition, offset) in rows.decode((String, Int32, Int64).self) {
            stored[KafkaTopicPartition(topic: topic, partition: partition)] = offset
        }
        var offsets: [KafkaTopicPartition: Int64] = [:]
        var stale: [(partition: KafkaTopicPartition, offset: Int64)] = []
        for partition in assigned {
            guard let offset = stored[partition.topicPartition] else { continue }
            if let end = partition.logEnd, offset > end {
                stale.append((partition.topicPartition, offset))
            } else {
                offsets[partition.topicPartition] = offset
            }
        }
        if !stale.isEmpty {
            logger.warning(
                "Stored offsets are past the end of their partitions (log recreated?); those start at the committed offsets",
                metadata: ["partitions": "\(stale.map(\.partition.description).sorted().joined(separator: ","))"])
            try await client.query(
                """
                UPDATE consumer_offsets o SET next_offset = 0, updated_at = now()
                FROM unnest(\(stale.map(\.partition.topic))::text[], \(stale.map(\.partition.partition))::int4[], \(stale.map(\.offset))::int8[])
                    AS x(t, p, n)
                WHERE o.consumer = \(consumer) AND o.topic = x.t AND o.partition = x.p AND o.next_offset = x.n
                """,
                logger: logger
            )
        }
        return offsets
    }
}
