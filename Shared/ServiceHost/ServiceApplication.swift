import Foundation
import Hummingbird
import Kafka
import Logging
import NIOCore
import ServiceHTTP
import ServiceLifecycle
import ServicePlatform
import UnixSignals

/// Builds a whole service as one `ServiceGroup`, started in this order and stopped in reverse:
/// PostgreSQL (pool + migrations), Kafka producer, outbox relay, the service's consumers and
/// background services, then the HTTP server. On SIGTERM intake stops first and the database
/// closes last.
///
/// A service describes itself with a ``ServiceDefinition`` over its ``ServiceModule``; its
/// executable is one line, `await ServiceApplication.main(.userService)`, and tests build the same
/// group with ``build(_:configuration:logger:onServerRunning:)`` to host services in one process.
public enum ServiceApplication {
    /// - Parameters:
    ///   - definition: the service; its `setup` registers routes and returns its background services.
    ///   - onServerRunning: called with the bound HTTP port (useful with port 0 in tests).
    public static func build(
        _ definition: ServiceDefinition,
        configuration: ServiceConfiguration,
        logger: Logger? = nil,
        onServerRunning: (@Sendable (Int) async -> Void)? = nil
    ) throws -> ServiceGroup {
        PlatformMetrics.bootstrap()
        var configuredLogger = logger ?? Logger(label: configuration.serviceName)
        configuredLogger.logLevel = configuration.logLevel
        let logger = configuredLogger

        let database = ServiceDatabase(
            url: configuration.database,
            schema: definition.schema,
            migrations: definition.migrations,
            logger: logger
        )
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: configuration.kafkaBrokers, clientId: configuration.serviceName)
        producerConfiguration.security = configuration.kafkaSecurity
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let relay = OutboxRelay(database: database, producer: producer, logger: logger)
        let verification = try JWTVerification(configuration: configuration, logger: logger)
        let runtime = ServiceRuntime(configuration: configuration, logger: logger, database: database, producer: producer, verification: verification)

        // A key set fetched from a URL refreshes itself for the life of the service.
        let keyRefresh: [any Service] = verification.keySet.flatMap { $0.isRemote ? [$0] : nil } ?? []
        let document = PlatformOpenAPI.document(service: definition.openAPIDocument, serviceName: definition.name)
        let router = Router(context: AppRequestContext.self)
        let idempotency = IdempotencyStore(client: database.client, logger: logger)
        let edge = configuration.httpEdge
        router.addPlatformMiddleware(
            verification: verification,
            idempotency: idempotency,
            openAPIDocument: document,
            bodyLimits: definition.bodyLimits,
            rateLimits: (
                tenant: RateLimiter(rate: edge.tenantWritesPerSecond, burst: edge.tenantWriteBurst),
                subject: RateLimiter(rate: edge.subjectWritesPerSecond, burst: edge.subjectWriteBurst)
            )
        )
        PlatformRoutes.register(
            on: router,
            readiness: [
                ReadinessCheck(name: "postgres") { await database.isReachable() },
                ReadinessCheck(name: "kafka") { await producer.isConnected() },
            ] + (verification.keySet.map { keySet in [ReadinessCheck(name: "jwks") { await keySet.isLoaded }] } ?? []),
            openAPIDocument: document
        )
        let serviceParts = try definition.setup(runtime, router)

        var http = Application(
            router: router,
            // The idle timeout also bounds how long a request head and each body chunk may take.
            server: .http1(configuration: .init(idleTimeout: TimeAmount(edge.idleTimeout))),
            configuration: .init(
                address: .hostname(configuration.httpHost, port: configuration.httpPort),
                serverName: configuration.serviceName
            ),
            onServerRunning: { channel in
                logger.info("HTTP server listening", metadata: ["address": "\(channel.localAddress.map(String.init(describing:)) ?? "?")"])
                await onServerRunning?(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        // The server listens only once the schema is migrated.
        http.beforeServerStarts { try await database.ready() }
        return ServiceGroup(
            configuration: .init(
                services: [
                    database, producer, relay,
                    idempotency.pruning(every: edge.idempotencyPruneInterval, retention: edge.idempotencyRetention, database: database),
                    TableStatistics.keeper(database: database, logger: logger),
                ]
                    + keyRefresh + serviceParts + [http],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
    }

    /// The process entry point of a service: reads the environment, installs logging and metrics,
    /// builds the service and runs it until SIGTERM/SIGINT. Configuration problems are printed
    /// one per line and the process exits with status 78 (EX_CONFIG).
    public static func main(_ definition: ServiceDefinition) async {
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration.fromEnvironment(serviceName: definition.name, defaultPort: definition.defaultPort)
        } catch {
            FileDescriptorIO.writeToStandardError("\(definition.name): \(error.description)\n")
            exit(78)
        }
        LogBootstrap.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        let logger = Logger(label: definition.name)
        let group: ServiceGroup
        do {
            group = try build(definition, configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            // Keys that turn out unusable when loaded (a JWKS file, an RSA key) are configuration problems too.
            FileDescriptorIO.writeToStandardError("\(definition.name): \(error.description)\n")
            exit(78)
        } catch {
            logger.critical("Service could not be built", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
        do {
            try await group.run()
        } catch {
            logger.critical("Service stopped with an error", metadata: ["error": "\(String(reflecting: error))"])
            exit(1)
        }
    }

    /// The service's `openapi.json` from a resource bundle (empty object when missing, so the
    /// gap shows in `GET /openapi.json` rather than crashing the service).
    public static func openAPIDocument(in bundle: Bundle) -> [UInt8] {
        let url =
            bundle.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
            ?? bundle.url(forResource: "openapi", withExtension: "json")
        guard let url, let data = try? Data(contentsOf: url) else { return Array("{}".utf8) }
        return Array(data)
    }
}
