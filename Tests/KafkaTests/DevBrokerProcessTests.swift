import Foundation
import Kafka
import Logging
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `lms-dev-broker` executable as other processes use it: bootstrap list in a file, every
/// contract topic present, fault injection through the control port.
@Suite("Development broker process", .serialized, .timeLimit(.minutes(2)))
struct DevBrokerProcessTests {
    private static var binary: URL {
        // The test runner lives next to the package's products in the build folder.
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return runner.deletingLastPathComponent().appendingPathComponent("lms-dev-broker")
    }

    private func startBroker(in folder: URL) throws -> (Process, bootstrap: String, control: String) {
        let bootstrapFile = folder.appendingPathComponent("bootstrap")
        let controlFile = folder.appendingPathComponent("control")
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["--bootstrap-file", bootstrapFile.path, "--control-file", controlFile.path, "--partitions", "6"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let bootstrap = try? String(contentsOf: bootstrapFile, encoding: .utf8),
                let control = try? String(contentsOf: controlFile, encoding: .utf8)
            {
                return (process, bootstrap.trimmingCharacters(in: .whitespacesAndNewlines), control.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        throw BrokerDidNotStart()
    }

    struct BrokerDidNotStart: Error {}

    private func post(_ url: String) async throws -> Int {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = "POST"
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    @Test func publishesItsBootstrapListAndInjectsFaults() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dev-broker-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, bootstrap, control) = try startBroker(in: folder)
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        #expect(bootstrap.split(separator: ",").count == 3, "three mock brokers")

        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap, clientId: "dev-broker-test")
        configuration.messageTimeoutMilliseconds = 2_000
        let producer = try KafkaProducer(configuration: configuration, logger: .init(label: "dev-broker-test"))
        try await withRunning([producer], logger: .init(label: "dev-broker-test")) {
            let report = try await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u1", value: Array("{}".utf8)))
            #expect(report.partition >= 0 && report.partition < 6, "the contract topic exists with the chosen partitions")

            #expect(try await post("\(control)/brokers/all/down") == 200)
            await #expect(throws: KafkaError.self) {
                try await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u2", value: Array("{}".utf8)))
            }
            #expect(try await post("\(control)/brokers/all/up") == 200)
            // The client reconnects on its own; a busy machine may need a few tries of 2 s each.
            let recovered = try await eventually(timeout: .seconds(60)) {
                (try? await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u3", value: Array("{}".utf8))))?.isDelivered == true
            }
            #expect(recovered)

            #expect(try await post("\(control)/errors/produce?codes=NO_SUCH_ERROR") == 400)
            #expect(try await post("\(control)/brokers/9/down") == 400)
        }
    }
}
