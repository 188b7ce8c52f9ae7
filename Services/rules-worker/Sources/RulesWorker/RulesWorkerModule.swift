import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The composition root of rules-worker: repositories, the segment and rule use cases, the consumers'
/// handlers, the job steps and the sweep over one database. ``ServiceDefinition/rulesWorker(_:)``
/// builds it from the platform's runtime; tests build one over their own pool to drive the
/// handlers, job steps and sweep directly.
package struct RulesWorkerModule: ServiceModule {
    /// Tunables of rules-worker; the defaults suit production, tests shrink them.
    package struct Options: Sendable {
        /// The time rules are evaluated at: relative date operators, effective windows, due dates and the sweep.
        package var clock: any ServiceClock
        /// Users per job step (one transaction each: evaluation, match rows, commands, progress).
        package var jobPageSize: Int
        /// How long the job runner sleeps when no job is open (it is also woken when one is created).
        package var jobPollInterval: Duration
        /// How often the sweep checks effective windows and re-evaluates time-relative criteria.
        package var sweepInterval: Duration
        /// Whether the background job runner and sweep run (tests drive them by hand when false).
        package var runsBackgroundWork: Bool
        /// Whether the Kafka consumers run (tests that deliver to the handlers turn them off).
        package var runsConsumers: Bool
        /// Test hook: runs inside each job step's transaction, after its writes and before the commit.
        package var beforeJobStepCommit: @Sendable () async throws -> Void

        package init(
            clock: any ServiceClock = SystemClock(), jobPageSize: Int = 2_000, jobPollInterval: Duration = .seconds(1),
            sweepInterval: Duration = .seconds(60), runsBackgroundWork: Bool = true, runsConsumers: Bool = true,
            beforeJobStepCommit: @escaping @Sendable () async throws -> Void = {}
        ) {
            self.clock = clock
            self.jobPageSize = jobPageSize
            self.jobPollInterval = jobPollInterval
            self.sweepInterval = sweepInterval
            self.runsBackgroundWork = runsBackgroundWork
            self.runsConsumers = runsConsumers
            self.beforeJobStepCommit = beforeJobStepCommit
        }
    }

    package let options: Options
    package let repositories: RulesRepositories
    package let segments: SegmentCatalog
    package let rules: RuleBook
    package let userHandler: UserEventHandler
    package let enrollmentHandler: EnrollmentEventHandler
    package let stepper: JobStepper
    package let sweeper: Sweeper
    let database: ServiceDatabase
    let logger: Logger
    /// Wakes the job runner when this process opens a job (other replicas find it by polling).
    let jobOpened: WakeupSignal
    /// Builds the consumers; `nil` in a module built without a runtime (tests deliver to the handlers).
    let runtime: ServiceRuntime?

    package init(runtime: ServiceRuntime, options: Options) {
        self.init(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger, runtime: runtime)
    }

    /// Without a `runtime` (tests that drive the handlers, job steps and sweep), no consumers run.
    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger, runtime: ServiceRuntime? = nil) {
        let repositories = RulesRepositories(logger: logger)
        let jobOpened = WakeupSignal()
        self.jobOpened = jobOpened
        self.database = database
        self.logger = logger
        self.options = options
        self.runtime = runtime
        self.repositories = repositories
        segments = SegmentCatalog(database: database, repositories: repositories, clock: options.clock, jobOpened: jobOpened)
        rules = RuleBook(database: database, repositories: repositories, clock: options.clock, jobOpened: jobOpened)
        userHandler = UserEventHandler(repositories: repositories, clock: options.clock, source: eventSource, logger: logger)
        enrollmentHandler = EnrollmentEventHandler(repositories: repositories, clock: options.clock, logger: logger)
        stepper = JobStepper(repositories: repositories, options: options, source: eventSource, logger: logger)
        sweeper = Sweeper(database: database, repositories: repositories, clock: options.clock, jobOpened: jobOpened, logger: logger)
    }

    /// Registers every `/v1` route of the service.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        SegmentController(segments: segments).register(on: router)
        RuleController(rules: rules, segments: segments).register(on: router)
    }

    /// The consumers, the job runner and the sweep, for the service group.
    package func backgroundServices() throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers, let runtime {
            services += [
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: enrollmentHandler),
            ]
        }
        if options.runsBackgroundWork {
            let stepper = stepper
            let sweeper = sweeper
            let database = database
            // Steps open jobs until none is left, then waits for a new one (wakeup or poll). Several
            // replicas can run it: each step locks its job row with `SKIP LOCKED`.
            services.append(
                PeriodicService(name: "Job runner", interval: options.jobPollInterval, database: database, logger: logger, wakeup: jobOpened) {
                    try await stepper.step(database)
                })
            services.append(
                PeriodicService(name: "Sweep", interval: options.sweepInterval, database: database, logger: logger) { _ = try await sweeper.sweep() })
        }
        return services
    }
}

extension ServiceDefinition {
    /// `rules-worker`: segments and automated enrollment rules, evaluated in real time. Owns the
    /// PostgreSQL schema `rules`.
    public static let rulesWorker = rulesWorker(.init())

    /// `rules-worker` with `options` (tests inject a clock and small pages).
    package static func rulesWorker(_ options: RulesWorkerModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            RulesWorkerModule.self,
            name: "rules-worker",
            defaultPort: 8083,
            schema: "rules",
            migrations: RulesMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            options: options
        )
    }
}
