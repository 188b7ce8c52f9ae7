import Foundation
import ServiceHTTP

extension ServiceDefinition {
    /// `user-service`: the learner directory, fed by platform user events and by admins. Owns the PostgreSQL schema `users`.
    public static let userService = ServiceDefinition(
        name: "user-service", defaultPort: 8081, schema: "users", migrations: [],
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
    ) { _, _ in [] }
}
