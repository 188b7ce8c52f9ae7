import Foundation
import ServiceHTTP

extension ServiceDefinition {
    /// `report-service`: reports for admins, report topics for analysts, and the dashboard. Owns the PostgreSQL schema `reports`.
    public static let reportService = ServiceDefinition(
        name: "report-service", defaultPort: 8085, schema: "reports", migrations: [],
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
    ) { _, _ in [] }
}
