import CRdKafka
import Logging

/// State the rebalance callback needs. It is passed to librdkafka unretained as the config
/// opaque, so it must outlive the `rd_kafka_t`: ``RDKafkaClient`` holds it in a stored property
/// and destroys the handle in `deinit` before its properties are released.
///
/// The callback runs inside `rd_kafka_consumer_poll`, i.e. on the client's own blocking queue,
/// never on a librdkafka thread.
final class RebalanceContext: Sendable {
    let logger: Logger
    let startingOffsets: KafkaStartingOffsets?

    init(logger: Logger, startingOffsets: KafkaStartingOffsets?) {
        self.logger = logger
        self.startingOffsets = startingOffsets
    }

    /// Sets the offsets of `partitions` to where ``startingOffsets`` says reading starts.
    func applyStartingOffsets(handle: OpaquePointer, to partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        guard let startingOffsets else { return }
        let count = Int(partitions.pointee.cnt)
        let assigned = (0..<count).map { index in
            let element = partitions.pointee.elems[index]
            var low: Int64 = 0
            var high: Int64 = 0
            let code = rd_kafka_query_watermark_offsets(handle, element.topic, element.partition, &low, &high, 5_000)
            return KafkaStartingOffsets.Assigned(
                topicPartition: KafkaTopicPartition(topic: String(cString: element.topic), partition: element.partition),
                logEnd: code == RD_KAFKA_RESP_ERR_NO_ERROR ? high : nil)
        }
        let offsets = startingOffsets.offsets(assigned)
        for index in 0..<count {
            if let offset = offsets[assigned[index].topicPartition] { partitions.pointee.elems[index].offset = offset }
        }
        if !offsets.isEmpty {
            logger.info(
                "Kafka partitions start at stored offsets",
                metadata: ["offsets": "\(offsets.map { "\($0.key)@\($0.value)" }.sorted().joined(separator: ","))"])
        }
    }
}

/// Assigns and revokes partitions. Assigned partitions start where the context's starting offsets
/// say, if any. Before giving partitions up it commits the stored offsets synchronously, so work
/// already processed here is never handed to the next owner again.
func rebalanceCallback(
    handle: OpaquePointer?, error: rd_kafka_resp_err_t,
    partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, opaque: UnsafeMutableRawPointer?
) {
    guard let handle else { return }
    let context = opaque.map { Unmanaged<RebalanceContext>.fromOpaque($0).takeUnretainedValue() }
    let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
    let names =
        partitions.map { list in
            (0..<Int(list.pointee.cnt)).map { "\(String(cString: list.pointee.elems[$0].topic))[\(list.pointee.elems[$0].partition)]" }
        } ?? []
    switch error {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        context?.logger.info("Kafka partitions assigned", metadata: ["partitions": "\(names.joined(separator: ","))"])
        if let partitions { context?.applyStartingOffsets(handle: handle, to: partitions) }
        if cooperative {
            if let failure = rd_kafka_incremental_assign(handle, partitions) { rd_kafka_error_destroy(failure) }
        } else {
            rd_kafka_assign(handle, partitions)
        }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        context?.logger.info("Kafka partitions revoked", metadata: ["partitions": "\(names.joined(separator: ","))"])
        let commit = rd_kafka_commit(handle, nil, 0)
        if commit != RD_KAFKA_RESP_ERR_NO_ERROR && commit != RD_KAFKA_RESP_ERR__NO_OFFSET {
            context?.logger.warning("Commit on revoke failed", metadata: ["error": "\(String(cString: rd_kafka_err2name(commit)))"])
        }
        if cooperative {
            if let failure = rd_kafka_incremental_unassign(handle, partitions) { rd_kafka_error_destroy(failure) }
        } else {
            rd_kafka_assign(handle, nil)
        }
    default:
        context?.logger.error("Kafka rebalance error", metadata: ["error": "\(String(cString: rd_kafka_err2name(error)))"])
        rd_kafka_assign(handle, nil)
    }
}
