import Contracts
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform
import Synchronization

/// Starts a service of no routes of its own through ``ServiceApplication`` (database check and
/// migrations, Kafka producer, HTTP server) and stops it again, to see whether a configuration
/// lets a service start at all.
public enum ReadinessRun {
    /// The service came up: `GET /health/ready` answered 200 within `timeout`.
    public struct NotReady: Error, CustomStringConvertible {
        public var description: String { "the service never answered 200 on /health/ready" }
    }

    /// A consumer handler that never sees an event (the consumers of ``kafkaSettings`` never run).
    struct IgnoringHandler: EventHandler {
        func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] { [] }
    }

    /// Builds, without running, a service with `configuration` and consumers named
    /// `consumerNames` through ``ServiceRuntime``; returns the librdkafka values of `properties`
    /// as each client has them: the producer under `producer`, each consumer under its group id.
    public static func kafkaSettings(
        configuration: ServiceConfiguration,
        consumerNames: [String],
        properties: [String],
        logger: Logger
    ) throws -> [String: [String: String]] {
        let seen = Mutex<[String: [String: String]]>([:])
        let definition = ServiceDefinition(
            name: configuration.serviceName,
            defaultPort: 0,
            schema: "kafka_settings",
            migrations: [],
            openAPIDocument: Array("{}".utf8)
        ) { runtime, _ in
            let consumers = try consumerNames.map { try runtime.consumer(name: $0, topics: [.users], handler: IgnoringHandler()) }
            seen.withLock { seen in
                seen["producer"] = Dictionary(uniqueKeysWithValues: properties.map { ($0, runtime.producer.configurationValue($0) ?? "-") })
                for consumer in consumers {
                    seen[consumer.groupId] = Dictionary(uniqueKeysWithValues: properties.map { ($0, consumer.kafkaConfigurationValue($0) ?? "-") })
                }
            }
            return consumers
        }
        _ = try ServiceApplication.build(definition, configuration: configuration, logger: logger)
        return seen.withLock { $0 }
    }

    /// Runs a ``ServiceDatabase`` (connection check, pool, migrations) with `url` until it is ready,
    /// then stops it; throws the error that kept it from getting ready.
    public static func database(_ url: DatabaseURL, schema: String, logger: Logger) async throws {
        let database = ServiceDatabase(url: url, schema: schema, migrations: [], logger: logger, maxConnections: 2)
        let group = ServiceGroup(configuration: .init(services: [database], logger: logger))
        let task = Task { try await group.run() }
        do {
            try await database.ready()
        } catch {
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Returns once the service is ready (then shuts it down); throws the error the service
    /// stopped with when it could not start.
    public static func start(configuration: ServiceConfiguration, schema: String, logger: Logger, timeout: Duration = .seconds(60)) async throws {
        let definition = ServiceDefinition(
            name: configuration.serviceName,
            defaultPort: 0,
            schema: schema,
            migrations: [],
            openAPIDocument: Array("{}".utf8)
        ) { _, _ in [] }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try ServiceApplication.build(definition, configuration: configuration, logger: logger) { port in
            portContinuation.yield(port)
        }
        defer { portContinuation.finish() }
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await app.run()
                return false
            }
            tasks.addTask {
                for await port in ports {
                    let probe = HTTPProbe(base: "http://127.0.0.1:\(port)")
                    return try await eventually(timeout: timeout) { (try? await probe.send("GET", "/health/ready"))?.status == 200 }
                }
                return false
            }
            // The first to finish decides: the service failing, or readiness (or its timeout).
            let ready = try await tasks.next() ?? false
            await app.triggerGracefulShutdown()
            portContinuation.finish()
            while let _ = try await tasks.next() {}
            if !ready { throw NotReady() }
        }
    }
}
