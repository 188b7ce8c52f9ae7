import Contracts
import Kafka
import Logging
import ServiceHTTP
import ServicePlatform

/// What a service's own code works with, built once per process by ``ServiceApplication``: its
/// configuration, logger, database (already bound to its schema), the shared Kafka producer and
/// the JWT verification of the HTTP edge (for services that check tokens outside a request too).
public struct ServiceRuntime: Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    public let database: ServiceDatabase
    public let producer: KafkaProducer
    public let verification: JWTVerification

    /// The CloudEvents `source` of events this service emits, e.g. `/lms/user-service`.
    public var eventSource: String { "/lms/\(configuration.serviceName)" }

    /// A consumer-group member of this service for `topics`, applying batches with `handler`.
    public func consumer(name: String, topics: [Topic], handler: some EventHandler) throws -> EventConsumer {
        try EventConsumer(
            configuration: .init(name: name, topics: topics),
            serviceName: configuration.serviceName,
            kafkaBrokers: configuration.kafkaBrokers,
            kafkaSecurity: configuration.kafkaSecurity,
            database: database,
            producer: producer,
            handler: handler,
            logger: logger
        )
    }
}
