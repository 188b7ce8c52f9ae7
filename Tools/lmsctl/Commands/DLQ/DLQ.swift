import ArgumentParser
import Foundation
import Logging

/// `lmsctl dlq`: the dead-letter topic `lms.dlq.v1`.
struct DLQ: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Dead letters (lms.dlq.v1): list them, replay them to their source topic.",
        subcommands: [DLQList.self, DLQReplay.self])
}

/// Options of the DLQ commands: where Kafka is, how long to read, which dead letters.
struct DLQOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers (default LMS_KAFKA_BROKERS).") var brokers: String?
    @Option(help: "Stop reading after this many seconds without a new message.") var idleSeconds: Double = 2
    @Option(help: "Give up when no partition is assigned within this many seconds.") var timeoutSeconds: Double = 30
    @Option(help: "Only dead letters whose original offset is this (repeatable).") var sourceOffset: [Int64] = []
    @Option(help: "Only dead letters from this source topic.") var sourceTopic: String?
    @Option(help: "Only dead letters from this source partition.") var sourcePartition: Int32?
    @Option(help: "Only dead letters of this error class (e.g. schema-invalid).") var errorClass: String?
    @Flag(help: "Kafka client logs on stderr.") var verbose = false

    var selection: DeadLetterSelection {
        DeadLetterSelection(sourceOffsets: sourceOffset, sourceTopic: sourceTopic, sourcePartition: sourcePartition, errorClass: errorClass)
    }

    var logger: Logger {
        var logger = Logger(label: "lmsctl") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = verbose ? .info : .critical
        return logger
    }

    /// `--brokers`, else LMS_KAFKA_BROKERS from the environment or the env file.
    func bootstrapServers(_ global: GlobalOptions) throws(CLIError) -> String {
        if let brokers { return brokers }
        guard let brokers = try global.settings().kafkaBrokers else {
            throw CLIError.usage("no Kafka brokers: pass --brokers or set LMS_KAFKA_BROKERS (env or stack.env)")
        }
        return brokers
    }

    func reader(_ global: GlobalOptions) throws(CLIError) -> DeadLetterReader {
        let brokers = try bootstrapServers(global)
        return DeadLetterReader(
            brokers: brokers, idle: .milliseconds(Int64(idleSeconds * 1000)), timeout: .milliseconds(Int64(timeoutSeconds * 1000)), logger: logger)
    }
}
