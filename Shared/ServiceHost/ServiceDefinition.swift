import Hummingbird
import ServiceHTTP
import ServiceLifecycle
import ServicePlatform

/// Everything that makes one service what it is; ``ServiceApplication`` does the rest.
public struct ServiceDefinition: Sendable {
    public typealias Setup = @Sendable (ServiceRuntime, Router<AppRequestContext>) throws -> [any Service]

    /// Kebab-case name, e.g. `user-service`: product, Kafka client id, consumer-group prefix.
    public var name: String
    public var defaultPort: Int
    /// The PostgreSQL schema the service owns.
    public var schema: String
    public var migrations: [Migration]
    /// The service's own OpenAPI document (its `/v1` paths); the platform adds its routes to it.
    public var openAPIDocument: [UInt8]
    /// Request body limits of the routes that accept more than the standard 1 MiB.
    public var bodyLimits: BodyLimits
    /// Registers routes and returns consumers and background services.
    public var setup: Setup

    /// The definition of a service whose composition root is `module`, built with `options`.
    public init<Module: ServiceModule>(
        _ module: Module.Type,
        name: String,
        defaultPort: Int,
        schema: String,
        migrations: [Migration],
        openAPIDocument: [UInt8],
        bodyLimits: BodyLimits = BodyLimits(),
        options: Module.Options
    ) {
        self.init(
            name: name,
            defaultPort: defaultPort,
            schema: schema,
            migrations: migrations,
            openAPIDocument: openAPIDocument,
            bodyLimits: bodyLimits
        ) { runtime, router in
            let module = try Module(runtime: runtime, options: options)
            module.registerRoutes(on: router)
            return try module.backgroundServices()
        }
    }

    public init(
        name: String,
        defaultPort: Int,
        schema: String,
        migrations: [Migration],
        openAPIDocument: [UInt8],
        bodyLimits: BodyLimits = BodyLimits(),
        setup: @escaping Setup
    ) {
        self.name = name
        self.defaultPort = defaultPort
        self.schema = schema
        self.migrations = migrations
        self.openAPIDocument = openAPIDocument
        self.bodyLimits = bodyLimits
        self.setup = setup
    }
}
