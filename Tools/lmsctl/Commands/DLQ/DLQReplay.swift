import ArgumentParser
import Contracts
import Kafka
import ServiceLifecycle

/// `lmsctl dlq replay`: publishes selected dead letters again to their source topic.
struct DLQReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publish dead letters to their dlq_source_topic with the original key, headers (without dlq_*) and value.",
        discussion: """
            Select with --source-offset (repeatable; add --source-topic/--source-partition when offsets \
            repeat across partitions), --error-class, or --all. --payload FILE replaces the value (one \
            dead letter only). The original ce_id is kept: consumers forget the ids of events they \
            refused, so the replay is applied once.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var dlq: DLQOptions
    @Flag(help: "Replay every dead letter the other criteria allow.") var all = false
    @Option(help: "File whose bytes replace the message value (exactly one dead letter must be selected).") var payload: String?
    @Flag(help: "Show what would be replayed, publish nothing.") var dryRun = false

    func validate() throws {
        if !all && !dlq.selection.isExplicit {
            throw ValidationError("select what to replay: --source-offset, --error-class, --source-topic or --all")
        }
    }

    func run() async throws {
        var selection = dlq.selection
        selection.all = all
        let records = selection.select(try await dlq.reader(global).read())
        guard !records.isEmpty else { throw CLIError("no dead letter matches the selection", status: .failure) }
        var replacement: [UInt8]?
        if let payload {
            guard records.count == 1 else {
                throw CLIError.usage("--payload replaces one message's value, but \(records.count) dead letters match; narrow the selection")
            }
            replacement = try JSONFile.read(payload)
        }
        var messages: [KafkaProducerMessage] = []
        for record in records { messages.append(try record.replayMessage(payload: replacement)) }
        if dryRun {
            Console.out(DLQList.table(records, messageWidth: 80).render())
            Console.out("dry run: \(records.count) message(s) would be replayed")
            return
        }
        let brokers = try dlq.bootstrapServers(global)
        let reports = try await Self.publish(messages, brokers: brokers, dlq: dlq)
        var table = TextTable(columns: ["dlq offset", "source", "replayed to", "result"])
        var failures = 0
        for (record, report) in zip(records, reports) {
            let target = "\(report.topic)[\(report.partition)]@\(report.offset.map(String.init) ?? "-")"
            let outcome: String
            if let error = report.error {
                failures += 1
                outcome = "failed: \(error)"
            } else {
                outcome = "replayed"
            }
            table.append(["\(record.partition):\(record.offset)", record.sourceDescription, target, outcome])
        }
        if global.json {
            let items: [JSONValue] = zip(records, reports).map { record, report in
                [
                    "dlqPartition": .number(Double(record.partition)), "dlqOffset": .number(Double(record.offset)),
                    "topic": .string(report.topic), "partition": .number(Double(report.partition)),
                    "offset": report.offset.map { .number(Double($0)) } ?? .null, "error": report.error.map { .string("\($0)") } ?? .null,
                ]
            }
            Console.out(JSONOutput.pretty(.object(["items": .array(items)])))
        } else {
            Console.out(table.render())
        }
        if failures > 0 { throw CLIError("\(failures) of \(records.count) message(s) not delivered", status: .serverError) }
    }

    static func publish(_ messages: [KafkaProducerMessage], brokers: String, dlq: DLQOptions) async throws(CLIError) -> [KafkaDeliveryReport] {
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers, clientId: "lmsctl")
        configuration.statisticsIntervalMilliseconds = 0
        configuration.messageTimeoutMilliseconds = 30_000
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: configuration, logger: dlq.logger)
        } catch {
            throw CLIError("cannot create a Kafka producer for \(brokers): \(error)")
        }
        let group = ServiceGroup(configuration: .init(services: [producer], logger: dlq.logger))
        return await withTaskGroup(of: [KafkaDeliveryReport]?.self) { tasks in
            tasks.addTask {
                try? await group.run()
                return nil
            }
            let reports = await producer.send(batch: messages)
            await group.triggerGracefulShutdown()
            await tasks.waitForAll()
            return reports
        }
    }
}
