import CRdKafka

#if canImport(Glibc)
import Glibc
#endif

/// librdkafka's in-process mock cluster (`rdkafka_mock.h`), hosted by a private producer handle.
/// `@unchecked Sendable`: the mock API is thread-safe (it posts operations to the cluster's own
/// thread); the handles are set once and destroyed once.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let host: OpaquePointer
    private let cluster: OpaquePointer

    init(brokers: Int32) throws(KafkaError) {
        let host = try RDKafkaConfig.handle(RD_KAFKA_PRODUCER, properties: ["log_level": "3"])
        guard let cluster = Self.withSignalsBlocked({ rd_kafka_mock_cluster_new(host, brokers) }) else {
            rd_kafka_destroy(host)
            throw KafkaError.configuration("could not create a mock cluster with \(brokers) brokers")
        }
        self.host = host
        self.cluster = cluster
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    var bootstrapServers: String { String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) }

    func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_topic_create(cluster, name, partitions, replicationFactor))
    }

    /// `broker` -1 means every broker.
    func setBroker(_ broker: Int32, up: Bool) throws(KafkaError) {
        try check(up ? rd_kafka_mock_broker_set_up(cluster, broker) : rd_kafka_mock_broker_set_down(cluster, broker))
    }

    func setRoundTripTime(broker: Int32, milliseconds: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds))
    }

    func pushRequestErrors(apiKey: Int16, errors: [Int32]) {
        var codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        codes.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    /// librdkafka's error names (`NOT_LEADER_FOR_PARTITION`, `_TRANSPORT`, ...) and codes.
    static func errorCode(named name: String) -> Int32? {
        var descriptions: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descriptions, &count)
        guard let descriptions else { return nil }
        for index in 0..<count {
            guard let raw = descriptions[index].name else { continue }
            let candidate = String(cString: raw)
            if candidate == name || candidate == "_" + name { return descriptions[index].code.rawValue }
        }
        return nil
    }

    /// Runs `body` with every signal blocked on the calling thread, so that the mock cluster's
    /// thread inherits a full signal mask, as librdkafka's own threads get from `rd_kafka_new`
    /// (the mock does not do this itself). librdkafka 2.0.2's mock thread treats an interrupted
    /// `poll` as fatal and frees the cluster while it is still in use: a signal for the
    /// application (SIGCHLD, a crash reporter suspending every thread) then hung or crashed the
    /// test process.
    private static func withSignalsBlocked<T>(_ body: () -> T) -> T {
        var all = sigset_t()
        var previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return body()
    }

    private func check(_ code: rd_kafka_resp_err_t) throws(KafkaError) {
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(code) }
    }
}
