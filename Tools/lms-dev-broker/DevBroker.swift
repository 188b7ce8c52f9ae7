import ArgumentParser
import Contracts
import Foundation
import Hummingbird
import Kafka
import Logging

/// The development Kafka broker: librdkafka's mock cluster on loopback with every topic of the
/// contract, its bootstrap list published on stdout and in a file, and a loopback HTTP control
/// port for fault injection. For development and tests only.
@main
struct DevBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lms-dev-broker",
        abstract: "Runs a development Kafka cluster (librdkafka mock brokers) with the LMS topics."
    )

    @Option(help: "Number of mock brokers.")
    var brokers: Int32 = 3

    @Option(help: "Partitions per topic.")
    var partitions: Int32 = 12

    @Option(help: "File to write the bootstrap list to (the LMS_KAFKA_BROKERS value).")
    var bootstrapFile: String?

    @Option(help: "Loopback port of the control interface (0 picks a free port).")
    var controlPort: Int = 0

    @Option(help: "File to write the control interface URL to.")
    var controlFile: String?

    mutating func run() async throws {
        var logger = Logger(label: "lms-dev-broker")
        logger.logLevel = .info
        let cluster = try KafkaMockCluster(brokers: brokers)
        for topic in Topic.allCases {
            try cluster.createTopic(topic.name, partitions: partitions, replicationFactor: min(brokers, 3))
        }
        let bootstrap = cluster.bootstrapServers
        if let bootstrapFile { try write(bootstrap, to: bootstrapFile) }

        let router = Router()
        BrokerControl(cluster: cluster).register(on: router)
        let controlFile = controlFile
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: controlPort), serverName: "lms-dev-broker"),
            onServerRunning: { channel in
                let url = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
                if let controlFile { try? write(url, to: controlFile) }
                // Written straight to the file descriptor: scripts read it while the broker runs.
                FileHandle.standardOutput.write(Data("LMS_KAFKA_BROKERS=\(bootstrap)\nLMS_DEV_BROKER_CONTROL=\(url)\n".utf8))
            },
            logger: logger
        )
        try await app.runService()
        withExtendedLifetime(cluster) {}
    }
}

private func write(_ text: String, to path: String) throws {
    try (text + "\n").write(toFile: path, atomically: true, encoding: .utf8)
}
