import Foundation
import ServiceHTTP
import ServiceHost

extension ServiceDefinition {
    /// `progress-service`: learner progress and compliance from learning activity. Owns the
    /// PostgreSQL schema `progress`.
    public static let progressService = progressService(.init())

    /// The service with `options` (tests inject a clock and turn the sweep off).
    package static func progressService(_ options: ProgressModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            name: "progress-service",
            defaultPort: 8084,
            schema: "progress",
            migrations: ProgressMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            bodyLimits: BodyLimits(routes: ["/v1/activity": ActivityController.maximumBodySize])
        ) { runtime, router in
            let module = ProgressModule(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger)
            module.registerRoutes(on: router)
            return try module.backgroundServices(runtime: runtime)
        }
    }
}
