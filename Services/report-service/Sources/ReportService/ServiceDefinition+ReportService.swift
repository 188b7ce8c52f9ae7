import Foundation
import ServiceHTTP
import ServiceHost
import ServicePlatform

extension ServiceDefinition {
    /// `report-service`: reports for admins, report topics for analysts, and the dashboard. Owns the PostgreSQL schema `reports`.
    public static let reportService = reportService(.init())

    /// The service with `options` (tests inject a clock and intervals).
    package static func reportService(_ options: ReportModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            name: "report-service",
            defaultPort: 8085,
            schema: "reports",
            migrations: ReportMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
        ) { runtime, router in
            let module = ReportModule(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger)
            let verification = try JWTVerification(
                hs256Secret: runtime.configuration.jwtSecret,
                rs256PublicKeyPEM: runtime.configuration.jwtPublicKeyPEM
            )
            module.registerRoutes(on: router, verification: verification)
            return try module.backgroundServices(runtime: runtime)
        }
    }
}
