import ArgumentParser
import Foundation
import Kafka
import Logging
import ServiceLifecycle

/// Raw produce and consume throughput through the Kafka layer, printed next to the same figures
/// for plain librdkafka in C (`rdkafka-c-bench`) against the same development broker.
@main
struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-bench",
        abstract: "Kafka layer throughput vs plain librdkafka, through the development broker."
    )

    @Option(help: "Bootstrap servers; by default an in-process development cluster is started.")
    var bootstrap: String?

    @Option(help: "Messages per run.")
    var count: Int = 200_000

    @Option(help: "Payload bytes per message.")
    var size: Int = 100

    @Option(help: "Path of the C baseline; by default the rdkafka-c-bench next to this program.")
    var cBench: String?

    mutating func run() async throws {
        var logger = Logger(label: "kafka-bench")
        logger.logLevel = .error
        let cluster = bootstrap == nil ? try KafkaMockCluster(brokers: 3) : nil
        guard let servers = bootstrap ?? cluster?.bootstrapServers else { throw ValidationError("no bootstrap servers") }
        let swiftTopic = "bench-swift-\(UUID().uuidString.prefix(8))"
        let cTopic = "bench-c-\(UUID().uuidString.prefix(8))"
        try cluster?.createTopic(swiftTopic, partitions: 12, replicationFactor: 3)
        try cluster?.createTopic(cTopic, partitions: 12, replicationFactor: 3)

        let swift = try await measureSwift(servers: servers, topic: swiftTopic, logger: logger)
        let c = try measureC(servers: servers, topic: cTopic)

        print("Kafka layer throughput, \(count) messages of \(size) B, 12 partitions, 1,000 keys, development broker")
        print(pad("figure", 22) + pad("Kafka layer", 16) + pad("librdkafka C", 16) + "ratio")
        for (name, mine, base) in [("produce msgs/s", swift.produce, c.produce), ("consume msgs/s", swift.consume, c.consume)] {
            print(pad(name, 22) + pad(String(Int(mine)), 16) + pad(String(Int(base)), 16) + String(format: "%.2f", mine / base))
        }
        withExtendedLifetime(cluster) {}
    }

    private func measureSwift(servers: String, topic: String, logger: Logger) async throws -> (produce: Double, consume: Double) {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: servers, clientId: "bench"), logger: logger)
        var consumerConfiguration = KafkaConsumerConfiguration(bootstrapServers: servers, groupId: "bench-\(UUID())", topics: [topic])
        consumerConfiguration.statisticsIntervalMilliseconds = 0
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [producer, consumer], logger: logger))
        let count = count
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let clock = ContinuousClock()
            let produceStart = clock.now
            // Every message in flight at once (as the C baseline does), in chunks sent concurrently.
            let delivered = await withTaskGroup(of: Int.self) { chunks in
                for chunk in stride(from: 0, to: count, by: 20_000) {
                    chunks.addTask {
                        let messages = (chunk..<min(chunk + 20_000, count)).map {
                            KafkaProducerMessage(topic: topic, key: "tenant/user-\($0 % 1000)", value: payload)
                        }
                        return await producer.send(batch: messages).filter(\.isDelivered).count
                    }
                }
                return await chunks.reduce(0, +)
            }
            let produceSeconds = (clock.now - produceStart).seconds
            var consumed = 0
            var firstAt: ContinuousClock.Instant?
            for await batch in consumer.batches(maxMessages: 5_000) {
                if firstAt == nil { firstAt = clock.now }
                consumed += batch.count
                consumer.storeOffsets(for: batch)
                if consumed >= delivered { break }
            }
            let consumeSeconds = (clock.now - (firstAt ?? clock.now)).seconds
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return (Double(delivered) / produceSeconds, Double(consumed) / consumeSeconds)
        }
    }

    private func measureC(servers: String, topic: String) throws -> (produce: Double, consume: Double) {
        let path = cBench ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rdkafka-c-bench").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [servers, topic, String(count), String(size)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var rates: [String: Double] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let messages = Double(fields[1]), let seconds = Double(fields[2]), seconds > 0 else { continue }
            rates[String(fields[0])] = messages / seconds
        }
        guard let produce = rates["produce"], let consume = rates["consume"] else {
            throw ValidationError("the C baseline printed no figures (exit \(process.terminationStatus))")
        }
        return (produce, consume)
    }
}

private func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
