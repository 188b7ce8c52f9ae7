import Contracts
import Kafka
import Testing

@testable import LmsCtl

@Suite("Dead letters")
struct DeadLetterTests {
    static func record(offset: Int64, sourceOffset: Int64, errorClass: String, topic: String = "platform.user-events.v1") -> DeadLetterRecord {
        DeadLetterRecord(
            partition: 1, offset: offset, key: Array("acme/u-1".utf8), value: Array(#"{"tenantId":"acme"}"#.utf8),
            headers: [
                KafkaHeader(key: "ce_type", value: "platform.user.updated"), KafkaHeader(key: "ce_id", value: "e-\(offset)"),
                KafkaHeader(key: "dlq_source_topic", value: topic), KafkaHeader(key: "dlq_source_partition", value: "2"),
                KafkaHeader(key: "dlq_source_offset", value: String(sourceOffset)), KafkaHeader(key: "dlq_error_class", value: errorClass),
                KafkaHeader(key: "dlq_error_message", value: "user u-1 is unknown"), KafkaHeader(key: "dlq_failed_at", value: "2030-01-01T00:00:00Z"),
                KafkaHeader(key: "dlq_consumer_group", value: "user-service"),
            ])
    }

    @Test func replayKeepsKeyAndOriginalHeadersAndDropsDLQHeaders() throws {
        let record = Self.record(offset: 5, sourceOffset: 41, errorClass: "unknown-user")
        let message = try record.replayMessage()
        #expect(message.topic == "platform.user-events.v1")
        #expect(message.key == Array("acme/u-1".utf8))
        #expect(message.value == record.value)
        #expect(message.headers.map(\.key) == ["ce_type", "ce_id"])
        #expect(message.partition == nil)
        let replaced = try record.replayMessage(payload: Array("{}".utf8))
        #expect(replaced.value == Array("{}".utf8))
        #expect(replaced.headers == message.headers)
    }

    @Test func describesTheOrigin() {
        let record = Self.record(offset: 5, sourceOffset: 41, errorClass: "unknown-user")
        #expect(record.sourceDescription == "platform.user-events.v1[2]@41")
        #expect(record.eventType == "platform.user.updated")
        #expect(record.errorMessage == "user u-1 is unknown")
        let table = DLQList.table([record], messageWidth: 8).render()
        #expect(table.contains("1:5"))
        #expect(table.contains("user u-…"))
        #expect(table.contains("unknown-user"))
    }

    @Test func structuredModeTypeAndMissingSource() {
        let record = DeadLetterRecord(partition: 0, offset: 0, key: nil, value: Array(#"{"type":"lms.user.upserted","data":{}}"#.utf8), headers: [])
        #expect(record.eventType == "lms.user.upserted")
        #expect(throws: CLIError.self) { try record.replayMessage() }
    }

    @Test func selectionCombinesCriteria() {
        let records = [
            Self.record(offset: 0, sourceOffset: 10, errorClass: "schema-invalid"),
            Self.record(offset: 1, sourceOffset: 11, errorClass: "unknown-user"),
            Self.record(offset: 2, sourceOffset: 12, errorClass: "unknown-user", topic: "lms.users.v1"),
        ]
        #expect(DeadLetterSelection(all: true).select(records).count == 3)
        #expect(DeadLetterSelection(sourceOffsets: [11, 12]).select(records).map(\.offset) == [1, 2])
        #expect(DeadLetterSelection(errorClass: "unknown-user").select(records).map(\.offset) == [1, 2])
        #expect(DeadLetterSelection(sourceTopic: "lms.users.v1", errorClass: "unknown-user").select(records).map(\.offset) == [2])
        #expect(DeadLetterSelection(sourcePartition: 3).select(records).isEmpty)
        #expect(!DeadLetterSelection().isExplicit)
        #expect(DeadLetterSelection(errorClass: "x").isExplicit)
    }
}
