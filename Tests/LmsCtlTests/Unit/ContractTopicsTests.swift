import Contracts
import Foundation
import Kafka
import Testing

@testable import LmsCtl

/// `lmsctl topics apply` creates the topics as the Kubernetes manifests do: the two must not drift.
@Suite("Contract topics")
struct ContractTopicsTests {
    /// The repository root; this file is `Tests/LmsCtlTests/Unit/ContractTopicsTests.swift`.
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `KafkaTopic`s of `deploy/base/kafka/topics.yaml`, read line by line (no YAML parser): each
    /// document's `topicName`, `partitions`, `replicas` and the `key: value` lines under `config:`.
    static func manifestTopics() throws -> [KafkaTopicSpecification] {
        let text = try String(contentsOf: root.appendingPathComponent("deploy/base/kafka/topics.yaml"), encoding: .utf8)
        return text.components(separatedBy: "\n---").compactMap { document -> KafkaTopicSpecification? in
            var values: [String: String] = [:]
            var config: [String: String] = [:]
            var inConfig = false
            for line in document.split(separator: "\n") where !line.hasPrefix("#") {
                let indent = line.prefix { $0 == " " }.count
                let parts = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                guard let key = parts.first else { continue }
                if indent <= 2 { inConfig = key == "config" }
                if inConfig, indent == 4, parts.count == 2 {
                    config[key] = parts[1]
                } else if indent == 2, parts.count == 2 {
                    values[key] = parts[1]
                }
            }
            guard let name = values["topicName"], let partitions = values["partitions"].flatMap(Int32.init),
                let replicas = values["replicas"].flatMap(Int32.init)
            else { return nil }
            return KafkaTopicSpecification(name: name, partitions: partitions, replicationFactor: replicas, config: config)
        }
    }

    @Test("every contract topic, once, in Topic.allCases order")
    func everyTopic() {
        let specifications = ContractTopics.specifications(partitions: 12, replicationFactor: 3)
        #expect(specifications.map(\.name) == Topic.allCases.map(\.name))
    }

    @Test("the same partitions, replicas and configs as deploy/base/kafka/topics.yaml")
    func agreesWithTheKubernetesManifests() throws {
        let manifests = try Self.manifestTopics()
        #expect(manifests.count == Topic.allCases.count, "\(manifests.map(\.name))")
        let planned = ContractTopics.specifications(partitions: 12, replicationFactor: 3)
        #expect(Set(manifests.map(\.name)) == Set(planned.map(\.name)))
        for specification in planned {
            let manifest = manifests.first { $0.name == specification.name }
            #expect(manifest == specification, "\(specification.name)")
        }
    }

    @Test("compacted report topics, short-lived resync topics, a 14-day DLQ")
    func policies() {
        let byName = Dictionary(
            uniqueKeysWithValues: ContractTopics.specifications(partitions: 12, replicationFactor: 3).map { ($0.name, $0.config) })
        #expect(byName[Topic.complianceReports.name]?["cleanup.policy"] == "compact")
        #expect(byName[Topic.complianceReports.name]?["retention.ms"] == nil)
        #expect(byName[Topic.resync.name]?["retention.ms"] == "86400000")
        #expect(byName[Topic.deadLetter.name]?["retention.ms"] == "1209600000")
        #expect(byName[Topic.enrollments.name]?["cleanup.policy"] == "delete", "compaction would keep one enrollment per learner")
    }

    @Test("min.insync.replicas stays below the replication factor", arguments: [(1, "1"), (2, "1"), (3, "2"), (5, "2")])
    func minimumInSyncReplicas(replicationFactor: Int32, expected: String) {
        let specification = ContractTopics.specification(.users, partitions: 1, replicationFactor: replicationFactor)
        #expect(specification.config["min.insync.replicas"] == expected)
    }
}
