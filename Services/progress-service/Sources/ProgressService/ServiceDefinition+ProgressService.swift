import Foundation
import ServiceHTTP

extension ServiceDefinition {
    /// `progress-service`: learner progress and compliance from learning activity. Owns the PostgreSQL schema `progress`.
    public static let progressService = ServiceDefinition(
        name: "progress-service", defaultPort: 8084, schema: "progress", migrations: [],
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
    ) { _, _ in [] }
}
