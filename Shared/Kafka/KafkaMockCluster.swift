/// A development Kafka cluster: librdkafka's mock brokers listening on loopback, reachable from
/// other processes through ``bootstrapServers``. For development and tests only; production runs
/// Apache Kafka. Data lives in memory and each partition keeps only about 5 MiB.
public final class KafkaMockCluster: Sendable {
    /// Kafka protocol request types that faults can be injected into.
    public enum RequestType: Int16, Sendable, CaseIterable {
        case produce = 0
        case fetch = 1
        case listOffsets = 2
        case metadata = 3
        case offsetCommit = 8
        case offsetFetch = 9
        case findCoordinator = 10
        case joinGroup = 11
        case heartbeat = 12
        case leaveGroup = 13
        case syncGroup = 14
        case initProducerId = 22

        /// The case of a lowercase or mixed-case name such as `listoffsets` or `FindCoordinator`.
        public init?(name: String) {
            guard let type = Self.allCases.first(where: { "\($0)".lowercased() == name.lowercased() }) else { return nil }
            self = type
        }
    }

    private let cluster: RDKafkaMockCluster
    public let brokerCount: Int32

    public init(brokers: Int32 = 3) throws(KafkaError) {
        cluster = try RDKafkaMockCluster(brokers: brokers)
        brokerCount = brokers
    }

    /// `host:port,...` of the mock brokers.
    public var bootstrapServers: String { cluster.bootstrapServers }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32 = 1) throws(KafkaError) {
        try cluster.createTopic(name, partitions: partitions, replicationFactor: replicationFactor)
    }

    /// Takes a broker (or all, with nil) down: connections are refused until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ broker: Int32? = nil) throws(KafkaError) {
        try cluster.setBroker(broker ?? -1, up: false)
    }

    public func setBrokerUp(_ broker: Int32? = nil) throws(KafkaError) {
        try cluster.setBroker(broker ?? -1, up: true)
    }

    /// Adds latency to every response of a broker (or all, with nil).
    public func setRoundTripTime(_ milliseconds: Int32, broker: Int32? = nil) throws(KafkaError) {
        if let broker {
            try cluster.setRoundTripTime(broker: broker, milliseconds: milliseconds)
        } else {
            for broker in 1...brokerCount { try cluster.setRoundTripTime(broker: broker, milliseconds: milliseconds) }
        }
    }

    /// The next `errors.count` requests of `type` fail with these codes, in order.
    public func pushRequestErrors(_ type: RequestType, errors: [KafkaError.Code]) {
        cluster.pushRequestErrors(apiKey: type.rawValue, errors: errors.map(\.rawValue))
    }

    public func clearRequestErrors(_ type: RequestType) {
        cluster.clearRequestErrors(apiKey: type.rawValue)
    }

    /// Looks up a librdkafka error code by name, e.g. `NOT_LEADER_FOR_PARTITION` or `TRANSPORT`.
    public static func errorCode(named name: String) -> KafkaError.Code? {
        RDKafkaMockCluster.errorCode(named: name).map(KafkaError.Code.init(rawValue:))
    }
}
