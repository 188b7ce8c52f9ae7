import Contracts
import Foundation
import ServiceHTTP
import ServiceHost
import ServicePlatform

extension ServiceDefinition {
    /// `user-service`: the learner directory, fed by platform user events and by admins. Owns the PostgreSQL schema `users`.
    ///
    /// Consumes `platform.user-events.v1` (consumer `platform-user-events`), publishes
    /// `lms.users.v1` through the outbox and serves the admin API under `/v1/users`. Answers
    /// `lms.resync-requests.v1` (consumer `resync`) with the tenant's users on `lms.resync.v1`.
    public static let userService = ServiceDefinition(
        name: "user-service",
        defaultPort: 8081,
        schema: "users",
        migrations: UserMigrations.all,
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
        bodyLimits: BodyLimits(routes: ["/v1/users:import": UserController.maximumImportBytes])
    ) { runtime, router in
        let store = UserStore(logger: runtime.logger)
        let directory = UserDirectory(database: runtime.database, store: store, eventSource: runtime.eventSource)
        UserController(directory: directory).register(on: router)
        let events = try runtime.consumer(
            name: "platform-user-events",
            topics: [.platformUserEvents],
            handler: UserEventHandler(store: store, eventSource: runtime.eventSource)
        )
        let resync = try runtime.consumer(
            name: "resync",
            topics: [.resyncRequests],
            handler: ResyncResponder(
                providers: [UserResyncProvider(store: store)],
                eventSource: runtime.eventSource,
                logger: runtime.logger
            )
        )
        return [events, resync]
    }
}
