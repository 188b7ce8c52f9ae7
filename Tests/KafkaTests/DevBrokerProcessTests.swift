import Foundation
import Kafka
import Logging
import TestSupport
import Testing

/// The `lms-dev-broker` executable as other processes use it: bootstrap list in a file, every
/// contract topic present, fault injection through the control port.
@Suite("Development broker process", .serialized, .hangGuard)
struct DevBrokerProcessTests {
    private func post(_ control: String, _ command: String) async throws -> Int {
        try await HTTPProbe(base: control).send("POST", command).status
    }

    @Test func publishesItsBootstrapListAndInjectsFaults() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dev-broker-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (process, bootstrap, control) = try await LocalStack.startBroker(in: folder, arguments: ["--partitions", "6"])
        #expect(bootstrap.split(separator: ",").count == 3, "three mock brokers")

        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap, clientId: "dev-broker-test")
        configuration.messageTimeoutMilliseconds = 2_000
        let producer = try KafkaProducer(configuration: configuration, logger: .init(label: "dev-broker-test"))
        do {
            try await withRunning([producer], logger: .init(label: "dev-broker-test")) {
                let report = try await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u1", value: Array("{}".utf8)))
                #expect(report.partition >= 0 && report.partition < 6, "the contract topic exists with the chosen partitions")

                #expect(try await post(control, "/brokers/all/down") == 200)
                await #expect(throws: KafkaError.self) {
                    try await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u2", value: Array("{}".utf8)))
                }
                #expect(try await post(control, "/brokers/all/up") == 200)
                // The client reconnects on its own; a busy machine may need a few tries of 2 s each.
                let recovered = try await eventually(timeout: .seconds(60)) {
                    (try? await producer.send(KafkaProducerMessage(topic: "lms.users.v1", key: "acme/u3", value: Array("{}".utf8))))?.isDelivered
                        == true
                }
                #expect(recovered)

                #expect(try await post(control, "/errors/produce?codes=NO_SUCH_ERROR") == 400)
                #expect(try await post(control, "/brokers/9/down") == 400)
            }
        } catch {
            await process.stop()
            throw error
        }
        await process.stop()
    }
}
