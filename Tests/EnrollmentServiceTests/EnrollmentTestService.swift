import Contracts
import EnrollmentService
import Foundation
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceLifecycle
import ServicePlatform
import Synchronization
import TestSupport
import Testing

/// The whole enrollment-service as `ServiceApplication` builds it (PostgreSQL in a throwaway schema,
/// the in-process development Kafka cluster, HTTP on a free port), plus a second module over the
/// same schema so tests can drive event handlers and the scheduler directly and inspect tables.
struct EnrollmentTestService: Sendable {
    static let secret = "enrollment-tests-secret-long-enough-for-hs256"

    let http: HTTPProbe
    let clock: TestClock
    /// The module over the test's own pool on the service's schema.
    let module: EnrollmentModule
    let cluster: KafkaMockCluster
    let logger: Logger

    var database: ServiceDatabase { module.database }

    func token(_ userId: String, tenant: String = "acme", roles: [Role]) -> String {
        JWTVerification.mintHS256(subject: userId, tenant: tenant, roles: roles, secret: Self.secret, expiresIn: 3600)
    }

    func admin(_ tenant: String = "acme") -> String { token("admin-\(tenant)", tenant: tenant, roles: [.admin]) }

    func learner(_ userId: String, tenant: String = "acme") -> String { token(userId, tenant: tenant, roles: [.learner]) }

    /// Creates (or replaces) a course through the API; fails the test unless it succeeds.
    @discardableResult
    func putCourse(_ courseId: String, tenant: String = "acme", _ settings: String = "") async throws -> HTTPProbe.Answer {
        let body = #"{"title":"Course \#(courseId)"\#(settings.isEmpty ? "" : ",")\#(settings)}"#
        let answer = try await http.send("PUT", "/v1/courses/\(courseId)", token: admin(tenant), body: body)
        #expect(answer.status == 201 || answer.status == 200, "PUT course: \(answer.text)")
        return answer
    }

    /// Feeds events to a handler as the consumer runtime would (one batch, one transaction).
    @discardableResult
    func deliver(_ events: [CloudEvent], to handler: some EventHandler) async throws -> [EventRejection] {
        let consumed = events.enumerated().map { index, event in
            ConsumedEvent(
                event: event,
                message: KafkaConsumerMessage(
                    topic: event.type.topic?.name ?? "",
                    partition: 0,
                    offset: Int64(index),
                    key: Array(event.kafkaKey.utf8),
                    value: event.data,
                    headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
                )
            )
        }
        return try await database.transaction { connection in
            try await handler.handle(consumed, on: connection)
        }
    }

    /// Projects active users (as `lms.user.upserted` would).
    func projectUsers(
        _ userIds: [String],
        tenant: String = "acme",
        profile: (String) -> (department: String?, email: String?) = { _ in (nil, nil) }
    ) async throws {
        let events = try userIds.map { userId in
            let fields = profile(userId)
            return try CloudEvent.make(
                UserSnapshot(
                    tenantId: tenant,
                    userId: userId,
                    email: fields.email,
                    department: fields.department,
                    status: .active,
                    changedFields: ["email"],
                    version: 1,
                    updatedAt: clock.now()
                ),
                source: "/tests"
            )
        }
        for chunk in stride(from: 0, to: events.count, by: 1000) {
            try await deliver(Array(events[chunk..<min(chunk + 1000, events.count)]), to: module.userHandler)
        }
    }

    func count(_ sql: String) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    func enrollment(_ id: String) async throws -> EnrollmentRecord? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        return try await database.client.withConnection { connection in
            let rows = try await connection.query("SELECT tenant_id FROM enrollments WHERE enrollment_id = \(uuid)", logger: logger)
            for try await tenant in rows.decode(String.self) {
                return try await module.enrollments.find(uuid, tenantId: tenant, on: connection)
            }
            return nil
        }
    }

    // MARK: Running

    /// Starts the service, runs `body`, shuts everything down and drops the schema.
    static func run<R: Sendable>(
        consumers: Bool = false,
        rateLimit: SelfEnrollment.RateLimit = .init(),
        _ body: @Sendable (EnrollmentTestService) async throws -> R
    ) async throws -> R {
        let databaseURL = try DatabaseURL(
            try #require(ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"], "LMS_TEST_DATABASE_URL must name a test database")
        )
        var logger = Logger(label: "enrollment-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let cluster = try KafkaMockCluster(brokers: 1)
        for topic in Topic.allCases { try cluster.createTopic(topic.name, partitions: 3, replicationFactor: 1) }
        let schema = "enr_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let clock = TestClock()
        let options = EnrollmentModule.Options(clock: clock, schedulerInterval: nil, keyRateLimit: rateLimit, runsConsumers: consumers)
        var definition = ServiceDefinition.enrollmentService(options)
        definition.schema = schema
        let configuration = ServiceConfiguration(
            serviceName: "enrollment-service",
            database: databaseURL,
            kafkaBrokers: cluster.bootstrapServers,
            jwtSecret: secret,
            httpHost: "127.0.0.1",
            httpPort: 0,
            logLevel: logger.logLevel
        )
        let port = Mutex(0)
        let app = try ServiceApplication.build(definition, configuration: configuration, logger: logger) { bound in
            port.withLock { $0 = bound }
        }
        let database = ServiceDatabase(url: databaseURL, schema: schema, migrations: EnrollmentMigrations.all, logger: logger, maxConnections: 8)
        let module = EnrollmentModule(database: database, eventSource: "/lms/enrollment-service", options: options, logger: logger)
        let support = ServiceGroup(configuration: .init(services: [database], logger: logger))

        let appTask = Task { try await app.run() }
        let supportTask = Task { try await support.run() }
        func stop() async {
            await app.triggerGracefulShutdown()
            _ = try? await appTask.value
            _ = try? await database.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: logger)
            await support.triggerGracefulShutdown()
            _ = try? await supportTask.value
        }
        do {
            var bound = 0
            for _ in 0..<600 where bound == 0 {
                bound = port.withLock { $0 }
                if bound == 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(bound > 0, "the HTTP server did not start")
            try await database.ready()
            let service = EnrollmentTestService(
                http: HTTPProbe(base: "http://127.0.0.1:\(bound)"),
                clock: clock,
                module: module,
                cluster: cluster,
                logger: logger
            )
            let result = try await body(service)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}
