import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The composition root of progress-service: repositories, the engine, the event handlers, the
/// compliance sweep and the HTTP controllers over one database. ``ServiceDefinition/progressService(_:)``
/// builds it from the platform's runtime; tests build one over their own pool to drive handlers
/// and the sweep directly.
package struct ProgressModule: ServiceModule {
    /// What differs between production and tests.
    package struct Options: Sendable {
        package var clock: any ServiceClock
        /// How often the compliance sweep looks for passed due dates; `nil` disables it.
        package var sweepInterval: Duration?
        /// Whether the Kafka consumers run.
        package var runsConsumers: Bool

        package init(clock: any ServiceClock = SystemClock(), sweepInterval: Duration? = .seconds(60), runsConsumers: Bool = true) {
            self.clock = clock
            self.sweepInterval = sweepInterval
            self.runsConsumers = runsConsumers
        }
    }

    package let database: ServiceDatabase
    package let options: Options
    package let progress: ProgressRepository
    package let recorder: ActivityRecorder
    package let queries: ProgressQueries
    package let activityHandler: LearningActivityEventHandler
    package let enrollmentHandler: EnrollmentEventHandler
    package let courseHandler: CourseEventHandler
    package let userHandler: UserEventHandler
    package let sweep: ComplianceSweep
    let logger: Logger
    /// Builds the consumers; `nil` in a module built without a runtime (tests deliver to the handlers).
    let runtime: ServiceRuntime?

    package init(runtime: ServiceRuntime, options: Options) throws {
        self.init(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger, runtime: runtime)
    }

    /// A module over `database`; without a runtime (tests that drive the handlers and the sweep) it has no Kafka.
    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger, runtime: ServiceRuntime? = nil) {
        self.database = database
        self.options = options
        self.logger = logger
        self.runtime = runtime
        progress = ProgressRepository(logger: logger)
        let statements = StatementRepository(logger: logger)
        let policies = CoursePolicyRepository(logger: logger)
        let engine = ProgressEngine(progress: progress, statements: statements, policies: policies, eventSource: eventSource, logger: logger)
        recorder = ActivityRecorder(database: database, statements: statements, engine: engine, clock: options.clock)
        queries = ProgressQueries(database: database, progress: progress, statements: statements)
        activityHandler = LearningActivityEventHandler(recorder: recorder, clock: options.clock)
        enrollmentHandler = EnrollmentEventHandler(progress: progress, statements: statements, engine: engine, clock: options.clock)
        courseHandler = CourseEventHandler(policies: policies, progress: progress, engine: engine, clock: options.clock)
        userHandler = UserEventHandler(progress: progress)
        sweep = ComplianceSweep(database: database, progress: progress, engine: engine, clock: options.clock, logger: logger)
    }

    /// Registers every `/v1` route of the service.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        let queries = self.queries
        let access = CourseAccess { userId, course in try await queries.isInstructor(userId, of: course) }
        ProgressController(queries: queries, access: access).register(on: router)
        ActivityController(recorder: recorder, queries: queries).register(on: router)
    }

    /// The consumers and the compliance sweep, for the service group.
    package func backgroundServices() throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers, let runtime {
            services += [
                try runtime.consumer(name: "courses", topics: [.courses], handler: courseHandler),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: enrollmentHandler),
                try runtime.consumer(name: "activity", topics: [.platformLearningActivity], handler: activityHandler),
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(
                    name: "resync",
                    topics: [.resyncRequests],
                    handler: ResyncResponder(
                        providers: [ProgressResyncProvider(progress: progress)],
                        eventSource: runtime.eventSource,
                        logger: logger
                    )
                ),
            ]
        }
        if let interval = options.sweepInterval {
            let sweep = self.sweep
            services.append(
                PeriodicService(name: "Compliance sweep", interval: interval, database: database, logger: logger) { try await sweep.run() }
            )
        }
        return services
    }
}

extension ServiceDefinition {
    /// `progress-service`: learner progress and compliance from learning activity. Owns the
    /// PostgreSQL schema `progress`.
    public static let progressService = progressService(.init())

    /// The service with `options` (tests inject a clock and turn the sweep off).
    package static func progressService(_ options: ProgressModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            ProgressModule.self,
            name: "progress-service",
            defaultPort: 8084,
            schema: "progress",
            migrations: ProgressMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            bodyLimits: BodyLimits(routes: ["/v1/activity": ActivityController.maximumBodySize]),
            options: options
        )
    }
}
