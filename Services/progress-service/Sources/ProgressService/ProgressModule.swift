import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The whole progress service over one database: stores, the engine, the event handlers, the
/// compliance sweep and the HTTP controllers. ``ServiceDefinition/progressService(_:)`` builds it
/// from the platform's runtime; tests build it over their own pool to drive handlers and the sweep.
package struct ProgressModule: Sendable {
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
    package let progress: ProgressStore
    package let statements: StatementStore
    package let policies: CoursePolicyStore
    package let engine: ProgressEngine
    package let recorder: ActivityRecorder
    package let activityHandler: ActivityHandler
    package let enrollmentHandler: EnrollmentEventHandler
    package let courseHandler: CourseEventHandler
    package let userHandler: UserEventHandler
    package let sweep: ComplianceSweep
    let logger: Logger

    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger) {
        self.database = database
        self.options = options
        self.logger = logger
        progress = ProgressStore(logger: logger)
        statements = StatementStore(logger: logger)
        policies = CoursePolicyStore(logger: logger)
        engine = ProgressEngine(progress: progress, statements: statements, policies: policies, eventSource: eventSource, logger: logger)
        recorder = ActivityRecorder(statements: statements, engine: engine)
        activityHandler = ActivityHandler(recorder: recorder, clock: options.clock)
        enrollmentHandler = EnrollmentEventHandler(progress: progress, statements: statements, engine: engine, clock: options.clock)
        courseHandler = CourseEventHandler(policies: policies, progress: progress, engine: engine, clock: options.clock)
        userHandler = UserEventHandler(progress: progress)
        sweep = ComplianceSweep(database: database, progress: progress, engine: engine, clock: options.clock, logger: logger)
    }

    /// Registers every `/v1` route of the service.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        ProgressController(database: database, progress: progress, access: ProgressAccess(progress: progress)).register(on: router)
        ActivityController(database: database, recorder: recorder, statements: statements, clock: options.clock).register(on: router)
    }

    /// The consumers and the compliance sweep, for the service group.
    package func backgroundServices(runtime: ServiceRuntime) throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers {
            services += [
                try runtime.consumer(name: "courses", topics: [.courses], handler: courseHandler),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: enrollmentHandler),
                try runtime.consumer(name: "activity", topics: [.platformLearningActivity], handler: activityHandler),
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(
                    name: "resync",
                    topics: [.resyncRequests],
                    handler: ResyncResponder(
                        providers: [ProgressResyncProvider(store: progress)],
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
