import Contracts
import Hummingbird
import Logging
import ServiceHTTP
import ServiceHost
import ServiceLifecycle
import ServicePlatform

/// The whole report service over one database: the read-model writer and queries, the event
/// handlers, the publisher and the HTTP controllers. ``ServiceDefinition/reportService(_:)``
/// builds it from the platform's runtime; tests build one over their own pool to drive handlers
/// and the publisher directly.
package struct ReportModule: Sendable {
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

    package let database: ServiceDatabase
    package let options: Options
    package let writer: ReadModelWriter
    package let queries: ReportQueries
    package let userHandler: ReportUserHandler
    package let courseHandler: ReportCourseHandler
    package let enrollmentHandler: ReportEnrollmentHandler
    package let progressHandler: ReportProgressHandler
    package let rebuilds: RebuildRepository
    package let resyncHandler: ReportResyncHandler
    package let publisher: ReportPublisher
    let eventSource: String
    let logger: Logger

    package init(database: ServiceDatabase, eventSource: String, options: Options, logger: Logger) {
        self.database = database
        self.eventSource = eventSource
        self.options = options
        self.logger = logger
        writer = ReadModelWriter(logger: logger)
        queries = ReportQueries(logger: logger)
        userHandler = ReportUserHandler(writer: writer)
        courseHandler = ReportCourseHandler(writer: writer)
        enrollmentHandler = ReportEnrollmentHandler(writer: writer)
        progressHandler = ReportProgressHandler(writer: writer)
        rebuilds = RebuildRepository(logger: logger)
        resyncHandler = ReportResyncHandler(writer: writer, rebuilds: rebuilds, logger: logger)
        publisher = ReportPublisher(
            database: database,
            queries: queries,
            clock: options.clock,
            interval: options.publishInterval ?? .milliseconds(500),
            fullRepublishInterval: options.fullRepublishInterval,
            eventSource: eventSource,
            logger: logger
        )
    }

    /// Registers the report API and the dashboard.
    package func registerRoutes(on router: Router<AppRequestContext>, verification: JWTVerification) {
        let access = ReportAccess(database: database, queries: queries)
        ReportController(database: database, queries: queries, access: access, clock: options.clock, logger: logger).register(on: router)
        RebuildController(database: database, rebuilds: rebuilds, eventSource: eventSource, logger: logger).register(on: router)
        DashboardController(database: database, queries: queries, verification: verification, clock: options.clock, logger: logger)
            .register(on: router)
    }

    /// The consumers and the publisher, for the service group.
    package func backgroundServices(runtime: ServiceRuntime) throws -> [any Service] {
        var services: [any Service] = []
        if options.runsConsumers {
            services += [
                try runtime.consumer(name: "users", topics: [.users], handler: userHandler),
                try runtime.consumer(name: "courses", topics: [.courses], handler: courseHandler),
                try runtime.consumer(name: "enrollments", topics: [.enrollments], handler: enrollmentHandler),
                try runtime.consumer(name: "progress", topics: [.progress], handler: progressHandler),
                try runtime.consumer(name: "resync", topics: [.resync], handler: resyncHandler),
            ]
        }
        if options.publishInterval != nil { services.append(publisher) }
        return services
    }
}
