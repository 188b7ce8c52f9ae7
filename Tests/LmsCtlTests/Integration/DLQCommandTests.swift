import Contracts
import Foundation
import Kafka
import TestSupport
import Testing

/// `lmsctl dlq list` and `dlq replay` as subprocesses against an in-process development Kafka cluster.
@Suite("lmsctl dlq", .serialized, .hangGuard)
struct DLQCommandTests {
    let logger = ServiceHarness.testLogger("lmsctl-dlq-tests")

    func cluster() throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }
        return cluster
    }

    /// A dead letter as the consumer runtime writes it: original key, headers and value plus dlq_* headers.
    static func deadLetter(sourceOffset: Int, errorClass: String, userId: String) -> KafkaProducerMessage {
        let headers = [
            KafkaHeader(key: "ce_specversion", value: "1.0"), KafkaHeader(key: "ce_id", value: "event-\(sourceOffset)"),
            KafkaHeader(key: "ce_type", value: "platform.user.updated"), KafkaHeader(key: "ce_tenantid", value: "acme"),
            KafkaHeader(key: "content-type", value: "application/json"),
            KafkaHeader(key: "dlq_source_topic", value: Topic.platformUserEvents.name), KafkaHeader(key: "dlq_source_partition", value: "1"),
            KafkaHeader(key: "dlq_source_offset", value: String(sourceOffset)), KafkaHeader(key: "dlq_consumer_group", value: "user-service"),
            KafkaHeader(key: "dlq_error_class", value: errorClass), KafkaHeader(key: "dlq_error_message", value: "update for unknown user \(userId)"),
            KafkaHeader(key: "dlq_failed_at", value: "2030-05-01T12:00:00Z"),
        ]
        return KafkaProducerMessage(
            topic: Topic.deadLetter.name, key: "acme/\(userId)", value: Array(#"{"tenantId":"acme","userId":"\#(userId)","changes":{}}"#.utf8),
            headers: headers)
    }

    func publish(_ messages: [KafkaProducerMessage], to cluster: KafkaMockCluster) async throws {
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, clientId: "tests"), logger: logger)
        try await withRunning([producer], logger: logger) {
            let reports = await producer.send(batch: messages)
            let delivered = reports.filter(\.isDelivered).count
            #expect(delivered == messages.count)
        }
    }

    @Test func listShowsEachDeadLetterWithOriginAndReason() async throws {
        let cluster = try cluster()
        try await publish(
            [
                Self.deadLetter(sourceOffset: 41, errorClass: "unknown-user", userId: "u-1"),
                Self.deadLetter(sourceOffset: 42, errorClass: "schema-invalid", userId: "u-2"),
            ],
            to: cluster)
        let result = try await LmsCtlProcess.run(["dlq", "list"], environment: ["LMS_KAFKA_BROKERS": cluster.bootstrapServers])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("offset") == true && lines.first?.contains("error class") == true, "\(result.stdout)")
        #expect(lines.count == 4, "\(result.stdout)")
        let first = lines.first { $0.contains("@41") } ?? ""
        #expect(first.contains("platform.user-events.v1[1]@41") && first.contains("unknown-user") && first.contains("update for unknown user u-1"))
        #expect(first.contains("2030-05-01T12:00:00Z") && first.contains("platform.user.updated") && first.contains("acme/u-1"))

        let filtered = try await LmsCtlProcess.run(
            ["dlq", "list", "--error-class", "schema-invalid", "--json", "--brokers", cluster.bootstrapServers])
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let items = try JSONValue(parsing: Array(filtered.stdout.utf8)).arrayValue ?? []
        #expect(items.count == 1)
        #expect(items.first?.int("sourceOffset") == 42)
    }

    @Test func replayRepublishesToTheSourceTopicWithoutDLQHeaders() async throws {
        let cluster = try cluster()
        let original = Self.deadLetter(sourceOffset: 7, errorClass: "unknown-user", userId: "u-7")
        try await publish([original, Self.deadLetter(sourceOffset: 8, errorClass: "schema-invalid", userId: "u-8")], to: cluster)
        let environment = ["LMS_KAFKA_BROKERS": cluster.bootstrapServers]

        let unselected = try await LmsCtlProcess.run(["dlq", "replay"], environment: environment)
        #expect(unselected.status == 64, "\(unselected.stderr)")

        let directory = try LmsCtlProcess.temporaryDirectory()
        let fixed = #"{"tenantId":"acme","userId":"u-7","changes":{"department":"Ops"}}"#
        let payload = try LmsCtlProcess.write(fixed, to: "fixed.json", in: directory)
        let tooMany = try await LmsCtlProcess.run(["dlq", "replay", "--all", "--payload", payload], environment: environment)
        #expect(tooMany.status == 64 && tooMany.stderr.contains("2 dead letters match"), "\(tooMany.stderr)")

        let replay = try await LmsCtlProcess.run(["dlq", "replay", "--source-offset", "7", "--payload", payload], environment: environment)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("platform.user-events.v1[") && replay.stdout.contains("replayed"), "\(replay.stdout)")

        let again = try await LmsCtlProcess.run(["dlq", "replay", "--error-class", "schema-invalid"], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")

        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: cluster.bootstrapServers, groupId: "probe-\(UUID())", topics: [Topic.platformUserEvents.name])
        configuration.statisticsIntervalMilliseconds = 0
        let probe = try KafkaConsumer(configuration: configuration, logger: logger)
        let replayed = try await collectRunning(probe, count: 2, timeout: .seconds(30), logger: logger)
        #expect(replayed.count == 2)
        let first = try #require(replayed.first { $0.keyString == "acme/u-7" })
        #expect(first.value == Array(fixed.utf8), "--payload replaces the value")
        #expect(first.headers.map(\.key) == ["ce_specversion", "ce_id", "ce_type", "ce_tenantid", "content-type"])
        #expect(first.headers.string(for: "ce_id") == "event-7")
        let second = try #require(replayed.first { $0.keyString == "acme/u-8" })
        #expect(second.value == Self.deadLetter(sourceOffset: 8, errorClass: "", userId: "u-8").value, "the original value otherwise")
        #expect(!second.headers.contains { $0.key.hasPrefix("dlq_") })
        // The dead letters stay where they were: replay does not consume them.
        let list = try await LmsCtlProcess.run(["dlq", "list", "--json"], environment: environment)
        #expect((try JSONValue(parsing: Array(list.stdout.utf8)).arrayValue ?? []).count == 2)
    }
}
