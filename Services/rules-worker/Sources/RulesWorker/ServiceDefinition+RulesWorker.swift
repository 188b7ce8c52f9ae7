import Foundation
import ServiceHTTP

extension ServiceDefinition {
    /// `rules-worker`: segments and automated enrollment rules, evaluated in real time. Owns the PostgreSQL schema `rules`.
    public static let rulesWorker = ServiceDefinition(
        name: "rules-worker", defaultPort: 8083, schema: "rules", migrations: [],
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
    ) { _, _ in [] }
}
