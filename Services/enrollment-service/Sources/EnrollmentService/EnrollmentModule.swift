import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The whole enrollment service built over one database: repositories, the workflow, the event
/// handlers, the scheduler and the HTTP controllers. ``ServiceDefinition/enrollmentService(_:)``
/// builds it from the platform's runtime; tests build it over their own database to drive handlers
/// and the scheduler directly.
package struct EnrollmentModule: Sendable {
    /// What differs between production and tests.
    package struct Options: Sendable {
        package var clock: any EnrollmentClock
        /// How often the scheduler looks for expiries and lapsed certifications; `nil` disables it.
        package var schedulerInterval: Duration?
        package var keyRateLimit: SelfEnrollment.RateLimit
        /// Whether the Kafka consumers run (tests of the HTTP API alone leave them out).
        package var runsConsumers: Bool

        package init(
            clock: any EnrollmentClock = SystemEnrollmentClock(),
            schedulerInterval: Duration? = .seconds(60),
            keyRateLimit: SelfEnrollment.RateLimit = SelfEnrollment.RateLimit(),
            runsConsumers: Bool = true
        ) {
            self.clock = clock
            self.schedulerInterval = schedulerInterval
            self.keyRateLimit = keyRateLimit
            self.runsConsumers = runsConsumers
        }
    }

    package let database: ServiceDatabase
    package let options: Options
    package let courses: CourseRepository
    package let enrollments: EnrollmentRepository
    package let projections: ProjectionRepository
    package let keys: EnrollmentKeyRepository
    package let workflow: EnrollmentWorkflow
    package let selfEnrollment: SelfEnrollment
    package let commandHandler: EnrollmentCommandHandler
    package let userHandler: UserEventHandler
    package let progressHandler: ProgressEventHandler
    package let segmentHandler: SegmentMembershipHandler
    package let scheduler: EnrollmentScheduler
    let eventSource: String

    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger) {
        self.database = database
        self.options = options
        self.eventSource = eventSource
        let clock = options.clock
        courses = CourseRepository(logger: logger)
        enrollments = EnrollmentRepository(logger: logger)
        projections = ProjectionRepository(logger: logger)
        keys = EnrollmentKeyRepository(logger: logger)
        workflow = EnrollmentWorkflow(
            courses: courses,
            enrollments: enrollments,
            projections: projections,
            clock: clock,
            eventSource: eventSource,
            logger: logger
        )
        selfEnrollment = SelfEnrollment(
            database: database,
            workflow: workflow,
            keys: keys,
            clock: clock,
            rateLimit: options.keyRateLimit,
            logger: logger
        )
        commandHandler = EnrollmentCommandHandler(workflow: workflow, enrollments: enrollments, clock: clock, logger: logger)
        userHandler = UserEventHandler(workflow: workflow, enrollments: enrollments, projections: projections, clock: clock, logger: logger)
        progressHandler = ProgressEventHandler(workflow: workflow, enrollments: enrollments, clock: clock, logger: logger)
        segmentHandler = SegmentMembershipHandler(projections: projections)
        scheduler = EnrollmentScheduler(
            database: database,
            workflow: workflow,
            enrollments: enrollments,
            clock: clock,
            interval: options.schedulerInterval ?? .seconds(60),
            logger: logger
        )
    }

    /// Registers every `/v1` route of the service.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        let policy = AccessPolicy(database: database, enrollments: enrollments)
        CourseController(database: database, courses: courses, workflow: workflow, clock: options.clock, eventSource: eventSource)
            .register(on: router)
        EnrollmentController(database: database, enrollments: enrollments, workflow: workflow, policy: policy).register(on: router)
        BulkEnrollmentController(database: database, workflow: workflow, policy: policy).register(on: router)
        EnrollmentKeyController(database: database, keys: keys, courses: courses, policy: policy, clock: options.clock).register(on: router)
        SelfEnrollmentController(database: database, keys: keys, selfEnrollment: selfEnrollment).register(on: router)
    }

    /// The consumers and the scheduler, for the service group.
    package func backgroundServices(runtime: ServiceRuntime) throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers {
            services += [
                try runtime.consumer(name: "commands", topics: [.enrollmentCommands], handler: commandHandler),
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(name: "progress", topics: [.progress], handler: progressHandler),
                try runtime.consumer(name: "segments", topics: [.segmentMemberships], handler: segmentHandler),
                try runtime.consumer(
                    name: "resync",
                    topics: [.resyncRequests],
                    handler: ResyncResponder(
                        providers: [CourseResyncProvider(courses: courses), EnrollmentResyncProvider(enrollments: enrollments)],
                        eventSource: runtime.eventSource,
                        logger: runtime.logger
                    )
                ),
            ]
        }
        if options.schedulerInterval != nil { services.append(scheduler) }
        return services
    }
}
