import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The composition root of enrollment-service: repositories, the workflow and the other use
/// cases, the event handlers, the scheduler and the HTTP controllers over one database.
/// ``ServiceDefinition/enrollmentService(_:)`` builds it from the platform's runtime; tests build one
/// over their own pool to drive handlers and the scheduler directly.
package struct EnrollmentModule: ServiceModule {
    /// What differs between production and tests.
    package struct Options: Sendable {
        package var clock: any ServiceClock
        /// How often the scheduler looks for expiries and lapsed certifications; `nil` disables it.
        package var schedulerInterval: Duration?
        package var keyRateLimit: SelfEnrollment.RateLimit
        /// Whether the Kafka consumers run (tests of the HTTP API alone leave them out).
        package var runsConsumers: Bool

        package init(
            clock: any ServiceClock = SystemClock(),
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
    package let users: UserProjectionRepository
    package let memberships: SegmentMembershipRepository
    package let keys: EnrollmentKeyRepository
    package let workflow: EnrollmentWorkflow
    package let selfEnrollment: SelfEnrollment
    package let commandHandler: EnrollmentCommandHandler
    package let userHandler: UserEventHandler
    package let progressHandler: ProgressEventHandler
    package let segmentHandler: SegmentMembershipEventHandler
    package let scheduler: EnrollmentScheduler
    let eventSource: String
    let logger: Logger
    /// Builds the consumers; `nil` in a module built without a runtime (tests deliver to the handlers).
    let runtime: ServiceRuntime?

    package init(runtime: ServiceRuntime, options: Options) throws {
        self.init(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger, runtime: runtime)
    }

    /// Without a `runtime`, a module over `database` without Kafka, for tests that drive the handlers
    /// and the scheduler.
    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger, runtime: ServiceRuntime? = nil) {
        self.database = database
        self.options = options
        self.eventSource = eventSource
        self.logger = logger
        self.runtime = runtime
        let clock = options.clock
        courses = CourseRepository(logger: logger)
        enrollments = EnrollmentRepository(logger: logger)
        users = UserProjectionRepository(logger: logger)
        memberships = SegmentMembershipRepository(logger: logger)
        keys = EnrollmentKeyRepository(logger: logger)
        workflow = EnrollmentWorkflow(
            courses: courses,
            enrollments: enrollments,
            users: users,
            clock: clock,
            eventSource: eventSource,
            logger: logger
        )
        selfEnrollment = SelfEnrollment(
            database: database,
            workflow: workflow,
            keys: keys,
            memberships: memberships,
            clock: clock,
            rateLimit: options.keyRateLimit,
            logger: logger
        )
        commandHandler = EnrollmentCommandHandler(
            applier: RuleCommandApplier(
                workflow: workflow,
                enrollments: enrollments,
                appliedCommands: AppliedCommandRepository(logger: logger),
                clock: clock,
                logger: logger
            )
        )
        userHandler = UserEventHandler(
            workflow: workflow,
            enrollments: enrollments,
            users: users,
            memberships: memberships,
            clock: clock,
            logger: logger
        )
        progressHandler = ProgressEventHandler(workflow: workflow, enrollments: enrollments, clock: clock, logger: logger)
        segmentHandler = SegmentMembershipEventHandler(memberships: memberships)
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
        let lookup = EnrollmentLookup(database: database, enrollments: enrollments)
        let manual = ManualEnrollment(database: database, enrollments: enrollments, workflow: workflow)
        let access = CourseAccess { userId, course in try await lookup.teaches(userId, course: course) }
        let catalog = CourseCatalog(database: database, courses: courses, workflow: workflow, eventSource: eventSource, logger: logger)
        let enrollmentKeys = EnrollmentKeys(database: database, keys: keys, courses: courses, enrollments: enrollments, clock: options.clock)
        CourseController(catalog: catalog, clock: options.clock).register(on: router)
        EnrollmentController(manual: manual, lookup: lookup, access: access).register(on: router)
        BulkEnrollmentController(manual: manual, catalog: catalog, access: access).register(on: router)
        EnrollmentKeyController(keys: enrollmentKeys, access: access, clock: options.clock).register(on: router)
        SelfEnrollmentController(selfEnrollment: selfEnrollment).register(on: router)
    }

    /// The consumers and the scheduler, for the service group.
    package func backgroundServices() throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers, let runtime {
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

extension ServiceDefinition {
    /// `enrollment-service`: courses, manual, self and rule-driven enrollment, and the enrollment
    /// lifecycle. Owns the PostgreSQL schema `enrollments`.
    public static let enrollmentService = enrollmentService(.init())

    /// The service with `options` (tests inject a clock, a scheduler interval, a rate limit).
    package static func enrollmentService(_ options: EnrollmentModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            EnrollmentModule.self,
            name: "enrollment-service",
            defaultPort: 8082,
            schema: "enrollments",
            migrations: EnrollmentMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            bodyLimits: BodyLimits(routes: [BulkEnrollmentController.route: BulkEnrollmentController.maximumBodySize]),
            options: options
        )
    }
}
