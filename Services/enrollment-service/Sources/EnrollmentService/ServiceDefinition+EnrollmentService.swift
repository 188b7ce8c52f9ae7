import Foundation
import ServiceHTTP
import ServiceHost

extension ServiceDefinition {
    /// `enrollment-service`: courses, manual, self and rule-driven enrollment, and the enrollment
    /// lifecycle. Owns the PostgreSQL schema `enrollments`.
    public static let enrollmentService = enrollmentService(.init())

    /// The service with `options` (tests inject a clock, a scheduler interval, a rate limit).
    package static func enrollmentService(_ options: EnrollmentModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            name: "enrollment-service",
            defaultPort: 8082,
            schema: "enrollments",
            migrations: EnrollmentMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            bodyLimits: BodyLimits(routes: [BulkEnrollmentController.route: BulkEnrollmentController.maximumBodySize])
        ) { runtime, router in
            let module = EnrollmentModule(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger)
            module.registerRoutes(on: router)
            return try module.backgroundServices(runtime: runtime)
        }
    }
}
