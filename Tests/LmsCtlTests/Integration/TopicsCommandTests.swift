import Contracts
import Foundation
import Kafka
import TestSupport
import Testing

/// `lmsctl topics apply` as a subprocess against an in-process mock cluster. The mock answers
/// Metadata (so listing, the "exists" report and --dry-run are tested here) but not CreateTopics (it
/// has no controller: the request times out), so creating a topic is only checked to fail cleanly;
/// creation itself needs a real Kafka.
@Suite("lmsctl topics", .serialized, .hangGuard)
struct TopicsCommandTests {
    /// A mock cluster holding the contract's topics except `missing`.
    func cluster(without missing: Set<Topic> = [], partitions: Int32 = 3) throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases where !missing.contains(topic) {
            try cluster.createTopic(topic.name, partitions: partitions, replicationFactor: 1)
        }
        return cluster
    }

    /// `topic → status` from the JSON output.
    static func statuses(_ stdout: String) throws -> [String: String] {
        let items = try JSONValue(parsing: Array(stdout.utf8)).arrayValue ?? []
        return Dictionary(
            uniqueKeysWithValues: items.compactMap { item in
                item.objectValue.flatMap { object in
                    guard case .string(let topic)? = object["topic"], case .string(let status)? = object["status"] else { return nil }
                    return (topic, status)
                }
            })
    }

    @Test func existingTopicsAreLeftAloneAndReported() async throws {
        let cluster = try cluster(partitions: 3)
        let environment = ["LMS_KAFKA_BROKERS": cluster.bootstrapServers]

        let table = try await LmsCtlProcess.run(["topics", "apply", "--partitions", "3"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("topic") == true, "\(table.stdout)")
        #expect(lines.count == Topic.allCases.count + 2, "header, rule and a line per topic: \(table.stdout)")
        for topic in Topic.allCases {
            #expect(lines.contains { $0.hasPrefix(topic.name) && $0.contains("exists") }, "\(topic.name): \(table.stdout)")
        }

        // Another partition count is reported, not changed.
        let json = try await LmsCtlProcess.run(["topics", "apply", "--json", "--brokers", cluster.bootstrapServers])
        #expect(json.status == 0, "\(json.stderr)")
        let statuses = try Self.statuses(json.stdout)
        #expect(statuses.count == Topic.allCases.count)
        #expect(statuses.values.allSatisfy { $0 == "exists (3 partitions, planned 12)" }, "\(statuses)")
        #expect(try await KafkaAdmin.topics(bootstrapServers: cluster.bootstrapServers)[Topic.users.name] == 3)
    }

    @Test func dryRunNamesTheMissingTopicsAndCreatesNothing() async throws {
        let missing: Set<Topic> = [.deadLetter, .resync]
        let cluster = try cluster(without: missing)
        let result = try await LmsCtlProcess.run(
            ["topics", "apply", "--dry-run", "--json", "--replication-factor", "1"], environment: ["LMS_KAFKA_BROKERS": cluster.bootstrapServers])
        #expect(result.status == 0, "\(result.stderr)")
        let statuses = try Self.statuses(result.stdout)
        for topic in Topic.allCases {
            #expect(statuses[topic.name] == (missing.contains(topic) ? "would create" : "exists (3 partitions, planned 12)"), "\(topic.name)")
        }
        let items = try JSONValue(parsing: Array(result.stdout.utf8)).arrayValue ?? []
        let dlq = try #require(items.first { $0.objectValue?["topic"] == .string(Topic.deadLetter.name) }?.objectValue)
        #expect(dlq["replicationFactor"] == .number(1))
        #expect(dlq["config"]?.objectValue?["retention.ms"] == .string("1209600000"))
        #expect(dlq["config"]?.objectValue?["min.insync.replicas"] == .string("1"))

        let existing = try await KafkaAdmin.topics(bootstrapServers: cluster.bootstrapServers)
        #expect(existing[Topic.deadLetter.name] == nil && existing[Topic.resync.name] == nil, "--dry-run created \(existing.keys.sorted())")
    }

    @Test func creationOnTheMockClusterFailsNamingTheTopics() async throws {
        let cluster = try cluster(without: [.deadLetter])
        let result = try await LmsCtlProcess.run(
            ["topics", "apply", "--replication-factor", "1", "--timeout-seconds", "10"], environment: ["LMS_KAFKA_BROKERS": cluster.bootstrapServers])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("cannot create \(Topic.deadLetter.name)"), "\(result.stderr)")
    }

    @Test func usageErrors() async throws {
        let noBrokers = try await LmsCtlProcess.run(["topics", "apply"])
        #expect(noBrokers.status == 64 && noBrokers.stderr.contains("no Kafka brokers"), "\(noBrokers.stderr)")

        let badSecurity = try await LmsCtlProcess.run(
            ["topics", "apply", "--brokers", "127.0.0.1:1"], environment: ["LMS_KAFKA_SECURITY_PROTOCOL": "carrier-pigeon"])
        #expect(badSecurity.status == 64 && badSecurity.stderr.contains("LMS_KAFKA_SECURITY_PROTOCOL"), "\(badSecurity.stderr)")

        let saslWithoutPassword = try await LmsCtlProcess.run(
            ["topics", "apply", "--brokers", "127.0.0.1:1"],
            environment: ["LMS_KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "LMS_KAFKA_SASL_USERNAME": "ops"])
        #expect(saslWithoutPassword.status == 64 && saslWithoutPassword.stderr.contains("LMS_KAFKA_SASL_PASSWORD"), "\(saslWithoutPassword.stderr)")

        let zeroPartitions = try await LmsCtlProcess.run(["topics", "apply", "--brokers", "127.0.0.1:1", "--partitions", "0"])
        #expect(zeroPartitions.status == 64, "\(zeroPartitions.stderr)")
    }
}
