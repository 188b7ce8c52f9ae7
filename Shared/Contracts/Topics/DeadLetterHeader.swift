/// Headers a consumer adds when it copies a failed message, unchanged, to `lms.dlq.v1`.
public enum DeadLetterHeader: String, CaseIterable, Sendable {
    case sourceTopic = "dlq_source_topic"
    case sourcePartition = "dlq_source_partition"
    case sourceOffset = "dlq_source_offset"
    case consumerGroup = "dlq_consumer_group"
    /// A short machine-readable class such as `oversized`, `invalid-envelope`, `malformed-json`, `schema-invalid`, `unknown-type`, `tenant-mismatch`, or a handler's own class.
    case errorClass = "dlq_error_class"
    case errorMessage = "dlq_error_message"
    /// RFC 3339 instant (see `RFC3339.format`).
    case failedAt = "dlq_failed_at"

    public var name: String { rawValue }
}
