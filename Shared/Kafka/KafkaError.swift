/// An error reported by librdkafka or by the Kafka layer itself.
///
/// `code` is librdkafka's `rd_kafka_resp_err_t` value (negative for client-side errors such as
/// `_TRANSPORT`, positive for broker error codes), so callers can compare against
/// ``KafkaError/Code`` constants without seeing the C type.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A librdkafka error code.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let messageTimedOut = Code(rawValue: -192)
        public static let transport = Code(rawValue: -195)
        public static let allBrokersDown = Code(rawValue: -187)
        public static let queueFull = Code(rawValue: -184)
        public static let timedOut = Code(rawValue: -185)
        public static let state = Code(rawValue: -172)
        public static let fatal = Code(rawValue: -150)
        public static let messageSizeTooLarge = Code(rawValue: 10)
        public static let notLeaderForPartition = Code(rawValue: 6)
        public static let requestTimedOut = Code(rawValue: 7)
        public static let notEnoughReplicas = Code(rawValue: 19)
        public static let topicAlreadyExists = Code(rawValue: 36)
        /// Not a librdkafka code: the client is shutting down and refused the request.
        public static let shutdown = Code(rawValue: -10_000)
        /// Not a librdkafka code: a configuration value was refused.
        public static let configuration = Code(rawValue: -10_001)
    }

    public var code: Code
    /// librdkafka's symbolic name, e.g. `_TRANSPORT` or `NOT_LEADER_FOR_PARTITION`.
    public var name: String
    public var message: String
    /// A fatal error leaves the client unusable: recreate it (librdkafka's idempotent producer).
    public var isFatal: Bool
    /// The same request may succeed when tried again.
    public var isRetriable: Bool

    package init(code: Code, name: String, message: String, isFatal: Bool = false, isRetriable: Bool? = nil) {
        self.code = code
        self.name = name
        self.message = message
        self.isFatal = isFatal || code == .fatal
        self.isRetriable = isRetriable ?? Self.retriableCodes.contains(code)
    }

    public var description: String { "\(name): \(message)" }

    static let retriableCodes: Set<Code> = [
        .messageTimedOut, .transport, .allBrokersDown, .queueFull, .timedOut, .notLeaderForPartition,
        .requestTimedOut, .notEnoughReplicas,
        Code(rawValue: 20),  // NOT_ENOUGH_REPLICAS_AFTER_APPEND
        Code(rawValue: 5),  // LEADER_NOT_AVAILABLE
        Code(rawValue: 14),  // COORDINATOR_LOAD_IN_PROGRESS
        Code(rawValue: 15),  // COORDINATOR_NOT_AVAILABLE
        Code(rawValue: 16),  // NOT_COORDINATOR
    ]

    static func shutdown(_ what: String) -> KafkaError {
        KafkaError(code: .shutdown, name: "SHUTDOWN", message: "\(what): the client is shutting down", isRetriable: false)
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(code: .configuration, name: "CONFIGURATION", message: message, isRetriable: false)
    }
}
