import Contracts
import Foundation
import Hummingbird
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

extension ServiceDefinition {
    /// `rules-worker`: segments and automated enrollment rules, evaluated in real time. Owns the PostgreSQL schema `rules`.
    public static let rulesWorker = ServiceDefinition.rulesWorker(options: RulesWorkerOptions())

    /// `rules-worker` with the given tunables (tests inject a clock and small pages).
    public static func rulesWorker(options: RulesWorkerOptions, schema: String = "rules") -> ServiceDefinition {
        ServiceDefinition(
            name: "rules-worker",
            defaultPort: 8083,
            schema: schema,
            migrations: RulesMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module)
        ) { runtime, router in
            let parts = RulesWorkerParts(runtime: runtime, options: options)
            SegmentController(service: parts.service).register(on: router)
            RuleController(service: parts.service).register(on: router)
            var services: [any Service] = [
                try runtime.consumer(name: "users", topics: [.users], handler: parts.userEvents),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: parts.enrollmentEvents),
            ]
            if options.runsBackgroundWork {
                services.append(parts.jobRunner)
                services.append(parts.sweeper)
            }
            return services
        }
    }
}
