import Foundation
import Logging
import Metrics

/// Turns librdkafka's periodic statistics JSON into metrics: consumer lag per partition,
/// producer queue depth, broker round-trip time; plus a consumed-messages counter.
struct KafkaStatistics: Sendable {
    let clientId: String
    let logger: Logger
    private let consumed: Counter

    init(clientId: String, logger: Logger) {
        self.clientId = clientId
        self.logger = logger
        self.consumed = Counter(label: "kafka_consumer_messages_total", dimensions: [("client", clientId)])
    }

    func recordConsumed(_ count: Int) { consumed.increment(by: count) }

    func record(_ json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return }
        if let queued = object["msg_cnt"] as? Int {
            Gauge(label: "kafka_client_queued_messages", dimensions: [("client", clientId)]).record(queued)
        }
        if let topics = object["topics"] as? [String: Any] {
            for (topic, value) in topics {
                guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
                for (partition, stats) in partitions where partition != "-1" {
                    guard let lag = (stats as? [String: Any])?["consumer_lag"] as? Int, lag >= 0 else { continue }
                    Gauge(label: "kafka_consumer_lag", dimensions: [("client", clientId), ("topic", topic), ("partition", partition)]).record(lag)
                }
            }
        }
    }

    /// Logs a client's log line or error, or records its statistics; deliveries are the producer's.
    func handle(_ event: RDKafkaEvent, role: String) {
        switch event {
        case .log(let level, let facility, let message):
            logger.log(level: Self.logLevel(syslog: level), "\(message)", metadata: ["facility": "\(facility)"])
        case .error(let error):
            logger.log(level: error.isFatal ? .critical : .warning, "Kafka \(role) error", metadata: ["error": "\(error)"])
        case .statistics(let json):
            record(json)
        case .delivery:
            break
        }
    }

    /// Maps librdkafka's syslog levels (0 emergency … 7 debug) to swift-log levels.
    static func logLevel(syslog level: Int32) -> Logger.Level {
        switch level {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    }
}

extension Duration {
    /// Whole milliseconds (librdkafka's timeouts).
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
