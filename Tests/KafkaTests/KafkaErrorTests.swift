import Kafka
import Logging
import Testing

@Suite struct KafkaErrorTests {
    @Test func errorNamesResolveToLibrdkafkaCodes() {
        #expect(KafkaMockCluster.errorCode(named: "NOT_LEADER_FOR_PARTITION") == .notLeaderForPartition)
        #expect(KafkaMockCluster.errorCode(named: "_TRANSPORT") == .transport)
        #expect(KafkaMockCluster.errorCode(named: "TRANSPORT") == .transport)
        #expect(KafkaMockCluster.errorCode(named: "NO_SUCH_ERROR") == nil)
    }

    @Test func retriableAndFatalFlags() {
        #expect(KafkaError(code: .transport, name: "_TRANSPORT", message: "").isRetriable)
        #expect(KafkaError(code: .messageTimedOut, name: "_MSG_TIMED_OUT", message: "").isRetriable)
        #expect(!KafkaError(code: .messageSizeTooLarge, name: "MSG_SIZE_TOO_LARGE", message: "").isRetriable)
        #expect(KafkaError(code: .fatal, name: "_FATAL", message: "").isFatal)
    }

    @Test func badConfigurationIsATypedError() {
        #expect(throws: KafkaError.self) {
            var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1", clientId: "x")
            configuration.additionalProperties["no.such.property"] = "1"
            _ = try KafkaProducer(configuration: configuration, logger: .init(label: "t"))
        }
    }
}
