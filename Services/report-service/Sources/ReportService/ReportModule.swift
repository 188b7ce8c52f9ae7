import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The composition root of report-service: the read-model and report repositories, the event
/// handlers, the publisher and the HTTP controllers over one database.
/// ``ServiceDefinition/reportService(_:)`` builds it from the platform's runtime; tests build one
/// over their own pool to drive handlers and the publisher directly.
package struct ReportModule: ServiceModule {
    /// What differs between production and tests.
    package struct Options: Sendable {
        package var clock: any ServiceClock
        /// How often dirty report keys are published; `nil` leaves the publisher out (tests call it directly).
        package var publishInterval: Duration?
        /// How often every report is re-published for analysts starting on a compacted topic.
        package var fullRepublishInterval: Duration
        /// Whether the Kafka consumers run.
        package var runsConsumers: Bool

        package init(
            clock: any ServiceClock = SystemClock(),
            publishInterval: Duration? = .milliseconds(500),
            fullRepublishInterval: Duration = .seconds(3600),
            runsConsumers: Bool = true
        ) {
            self.clock = clock
            self.publishInterval = publishInterval
            self.fullRepublishInterval = fullRepublishInterval
            self.runsConsumers = runsConsumers
        }
    }

    let options: Options
    let reader: ReportReader
    let rebuilder: ReportRebuilder
    package let userHandler: UserEventHandler
    package let courseHandler: ReadModelEventHandler<CourseSettings>
    package let enrollmentHandler: ReadModelEventHandler<EnrollmentSnapshot>
    package let progressHandler: ReadModelEventHandler<ProgressSnapshot>
    package let resyncHandler: ResyncEventHandler
    package let publisher: ReportPublisher
    let verification: JWTVerification
    let logger: Logger
    /// Builds the consumers; `nil` in a module built without a runtime (tests deliver to the handlers).
    let runtime: ServiceRuntime?

    package init(runtime: ServiceRuntime, options: Options) throws {
        self.init(
            database: runtime.database,
            eventSource: runtime.eventSource,
            verification: runtime.verification,
            options: options,
            logger: runtime.logger,
            runtime: runtime
        )
    }

    /// A module over `database`; without a runtime (tests that drive the handlers and the publisher) it has no Kafka.
    package init(
        database: ServiceDatabase,
        eventSource: String,
        verification: JWTVerification,
        options: Options,
        logger: Logger,
        runtime: ServiceRuntime? = nil
    ) {
        self.verification = verification
        self.options = options
        self.logger = logger
        self.runtime = runtime
        let readModel = ReadModelRepository(logger: logger)
        let reports = ReportRepository(logger: logger)
        let rebuilds = RebuildRepository(logger: logger)
        reader = ReportReader(database: database, reports: reports)
        rebuilder = ReportRebuilder(database: database, rebuilds: rebuilds, eventSource: eventSource, logger: logger)
        userHandler = UserEventHandler(readModel: readModel)
        courseHandler = ReadModelEventHandler { try await readModel.applyCourses($0, on: $1) }
        enrollmentHandler = ReadModelEventHandler { try await readModel.applyEnrollments($0, on: $1) }
        progressHandler = ReadModelEventHandler { try await readModel.applyProgress($0, on: $1) }
        resyncHandler = ResyncEventHandler(readModel: readModel, rebuilds: rebuilds, logger: logger)
        publisher = ReportPublisher(
            database: database,
            reports: reports,
            publication: PublicationRepository(logger: logger),
            clock: options.clock,
            interval: options.publishInterval ?? .milliseconds(500),
            fullRepublishInterval: options.fullRepublishInterval,
            eventSource: eventSource,
            logger: logger
        )
    }

    /// Registers the report API and the dashboard.
    package func registerRoutes(on router: Router<AppRequestContext>) {
        ReportController(reader: reader, access: ReportAccess(reader: reader), clock: options.clock, logger: logger).register(on: router)
        RebuildController(rebuilder: rebuilder).register(on: router)
        DashboardController(reader: reader, verification: verification, clock: options.clock).register(on: router)
    }

    /// The consumers and the publisher, for the service group.
    package func backgroundServices() throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers, let runtime {
            services += [
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(name: "courses", topics: [.courses], handler: courseHandler),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: enrollmentHandler),
                try runtime.consumer(name: "progress", topics: [.progress], handler: progressHandler),
                try runtime.consumer(name: "resync", topics: [.resync], handler: resyncHandler),
            ]
        }
        if options.publishInterval != nil { services.append(publisher.service()) }
        return services
    }
}

extension ServiceDefinition {
    /// `report-service`: reports for admins, report topics for analysts, and the dashboard. Owns the PostgreSQL schema `reports`.
    public static let reportService: ServiceDefinition = reportService(.init())

    /// The service with `options` (tests inject a clock and intervals).
    package static func reportService(_ options: ReportModule.Options) -> ServiceDefinition {
        ServiceDefinition(
            ReportModule.self,
            name: "report-service",
            defaultPort: 8085,
            schema: "reports",
            migrations: ReportMigrations.all,
            openAPIDocument: ServiceApplication.openAPIDocument(in: .module),
            options: options
        )
    }
}
