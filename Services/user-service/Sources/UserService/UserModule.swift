import Contracts
import Hummingbird
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The composition root of user-service: the repository, the directory (the use cases every
/// write path shares), the platform user-event consumer, the resync responder and the admin API
/// over one database. ``ServiceDefinition/userService(_:)`` builds it from the platform's runtime.
package struct UserModule: ServiceModule {
    /// What differs between production and tests.
    package struct Options: Sendable {
        /// Where every change's time comes from.
        package var clock: any ServiceClock
        /// Whether the Kafka consumers run.
        package var runsConsumers: Bool

        package init(clock: any ServiceClock = SystemClock(), runsConsumers: Bool = true) {
            self.clock = clock
            self.runsConsumers = runsConsumers
        }
    }

    package let options: Options
    package let users: UserRepository
    package let directory: UserDirectory
    package let eventHandler: PlatformUserEventHandler
    let runtime: ServiceRuntime

    package init(runtime: ServiceRuntime, options: Options) throws {
        self.runtime = runtime
        self.options = options
        users = UserRepository(logger: runtime.logger)
        directory = UserDirectory(database: runtime.database, users: users, clock: options.clock, eventSource: runtime.eventSource)
        eventHandler = PlatformUserEventHandler(directory: directory)
    }

    /// Registers every `/v1` route of the service.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        UserController(directory: directory, clock: options.clock).register(on: router)
    }

    /// The platform user-event consumer and the resync responder, for the service group.
    package func backgroundServices() throws -> [any Service] {
        guard options.runsConsumers else { return [] }
        return [
            try runtime.consumer(name: "platform-user-events", topics: [.platformUserEvents], handler: eventHandler),
            try runtime.consumer(
                name: "resync",
                topics: [.resyncRequests],
                handler: ResyncResponder(
                    providers: [UserResyncProvider(users: users)],
                    eventSource: runtime.eventSource,
                    logger: runtime.logger
                )
            ),
        ]
    }
}

extension ServiceDefinition {
    /// `user-service`: the learner directory, fed by platform user events and by admins. Owns the PostgreSQL schema `users`.
    ///
    /// Consumes `platform.user-events.v1` (consumer `platform-user-events`), publishes
    /// `lms.users.v1` through the outbox and serves the admin API under `/v1/users`. Answers
    /// `lms.resync-requests.v1` (consumer `resync`) with the tenant's users on `lms.resync.v1`.
    public static let userService = userService(.init())

    /// The service with `options` (tests inject a clock).
    package static func userService(_ options: UserModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            UserModule.self,
            name: "user-service",
            defaultPort: 8081,
            schema: "users",
            migrations: UserMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            bodyLimits: BodyLimits(routes: ["/v1/users:import": UserController.maximumImportBytes]),
            options: options
        )
    }
}
