import Foundation
import ServiceHTTP

extension ServiceDefinition {
    /// `enrollment-service`: courses, manual, self and rule-driven enrollment, and the enrollment lifecycle. Owns the PostgreSQL schema `enrollments`.
    public static let enrollmentService = ServiceDefinition(
        name: "enrollment-service", defaultPort: 8082, schema: "enrollments", migrations: [],
        openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
    ) { _, _ in [] }
}
