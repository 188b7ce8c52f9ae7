import ArgumentParser
import Contracts
import Foundation
import Kafka

/// `lmsctl topics apply`: creates every topic of the contract that the cluster lacks, with the
/// partitions and configs of `ContractTopics`. Topics that exist are left alone (not even their
/// configs are changed) and reported, so running it again is harmless.
struct TopicsApply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create the contract's topics that do not exist yet; existing topics are left alone and reported.",
        discussion: """
            Kafka security comes from the services' variables (environment or env file): \
            LMS_KAFKA_SECURITY_PROTOCOL, LMS_KAFKA_SASL_MECHANISM, LMS_KAFKA_SASL_USERNAME, \
            LMS_KAFKA_SASL_PASSWORD or LMS_KAFKA_SASL_PASSWORD_FILE, LMS_KAFKA_SSL_CA_LOCATION, \
            LMS_KAFKA_SSL_CERTIFICATE_LOCATION, LMS_KAFKA_SSL_KEY_LOCATION. The identity needs the \
            Describe and Create cluster or topic ACLs.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Kafka bootstrap servers (default LMS_KAFKA_BROKERS).") var brokers: String?
    @Option(help: "Partitions of each new topic (they bound a consumer group's replicas).") var partitions: Int32 = 12
    @Option(help: "Replicas of each new topic (1 for a single-broker development cluster).") var replicationFactor: Int32 = 3
    @Option(help: "Give up on a Kafka request after this many seconds.") var timeoutSeconds: Int = 30
    @Flag(help: "Only report what would be created.") var dryRun = false

    func validate() throws {
        guard partitions > 0 else { throw ValidationError("--partitions must be at least 1") }
        guard replicationFactor > 0 else { throw ValidationError("--replication-factor must be at least 1") }
        guard timeoutSeconds > 0 else { throw ValidationError("--timeout-seconds must be at least 1") }
    }

    func run() async throws {
        let settings = try global.settings()
        guard let brokers = brokers ?? settings.kafkaBrokers else {
            throw CLIError.usage("no Kafka brokers: pass --brokers or set LMS_KAFKA_BROKERS (env or stack.env)")
        }
        let security = try settings.kafkaSecurity()
        let timeout = Duration.seconds(timeoutSeconds)
        let specifications = ContractTopics.specifications(partitions: partitions, replicationFactor: replicationFactor)

        let existing: [String: Int32]
        do {
            existing = try await KafkaAdmin.topics(bootstrapServers: brokers, security: security, timeout: timeout)
        } catch {
            throw CLIError("cannot list the topics of \(brokers): \(error)")
        }
        let missing = specifications.filter { existing[$0.name] == nil }
        var created: Set<String> = []
        if !dryRun && !missing.isEmpty {
            do {
                created = Set(try await KafkaAdmin.createTopics(missing, bootstrapServers: brokers, security: security, timeout: timeout))
            } catch {
                throw CLIError("cannot create \(missing.map(\.name).joined(separator: ", ")) on \(brokers): \(error)")
            }
        }
        let outcomes = specifications.map { specification in
            Outcome(
                specification: specification,
                existingPartitions: existing[specification.name],
                created: created.contains(specification.name),
                dryRun: dryRun
            )
        }
        if global.json {
            Console.out(JSONOutput.pretty(.array(outcomes.map(\.json))))
        } else {
            Console.out(Self.table(outcomes).render())
        }
    }

    /// What happened to one topic of the contract.
    struct Outcome {
        var specification: KafkaTopicSpecification
        /// Partitions of the topic found in the cluster, `nil` when it did not exist.
        var existingPartitions: Int32?
        var created: Bool
        var dryRun: Bool

        /// `created`, `would create`, `exists` (with a note when its partitions differ from the plan), or
        /// `created elsewhere` (it appeared between listing and creating: another run created it).
        var status: String {
            if let existingPartitions {
                let planned = specification.partitions
                return existingPartitions == planned ? "exists" : "exists (\(existingPartitions) partitions, planned \(planned))"
            }
            if dryRun { return "would create" }
            return created ? "created" : "created elsewhere"
        }

        var configText: String {
            specification.config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }

        var json: JSONValue {
            var object: [String: JSONValue] = [
                "topic": .string(specification.name), "status": .string(status),
                "partitions": .number(Double(existingPartitions ?? specification.partitions)),
            ]
            // Replicas and configs only for the topics this run created (or would create).
            if existingPartitions == nil {
                object["replicationFactor"] = .number(Double(specification.replicationFactor))
                object["config"] = .object(specification.config.mapValues(JSONValue.string))
            }
            return .object(object)
        }
    }

    static func table(_ outcomes: [Outcome]) -> TextTable {
        var table = TextTable(columns: ["topic", "status", "partitions", "replicas", "config"])
        for outcome in outcomes {
            let new = outcome.existingPartitions == nil
            table.append([
                outcome.specification.name, outcome.status, String(outcome.existingPartitions ?? outcome.specification.partitions),
                new ? String(outcome.specification.replicationFactor) : "", new ? outcome.configText : "",
            ])
        }
        return table
    }
}
