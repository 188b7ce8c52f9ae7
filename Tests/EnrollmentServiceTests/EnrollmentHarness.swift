import Contracts
import EnrollmentService
import Foundation
import Kafka
import Logging
import PostgresNIO
import ServiceHTTP
import ServiceHost
import ServicePlatform
import TestSupport
import Testing

/// The whole enrollment-service as `ServiceApplication` builds it (PostgreSQL in a throwaway schema,
/// the in-process development Kafka cluster, HTTP on a free port), plus a second module over the
/// same schema so tests can drive event handlers and the scheduler directly and inspect tables.
struct EnrollmentHarness: Sendable {
    let harness: ServiceHarness
    let clock: TestClock
    /// The module over the test's own pool on the service's schema.
    let module: EnrollmentModule

    var http: HTTPProbe { harness.http }
    var cluster: KafkaMockCluster { harness.cluster }
    var logger: Logger { harness.logger }
    var database: ServiceDatabase { module.database }

    func token(_ userId: String, tenant: String = "acme", roles: [Role]) -> String {
        harness.token(userId, tenant: tenant, roles: roles)
    }

    func admin(_ tenant: String = "acme") -> String { harness.admin(tenant) }

    func learner(_ userId: String, tenant: String = "acme") -> String { harness.learner(userId, tenant: tenant) }

    /// Creates (or replaces) a course through the API; fails the test unless it succeeds.
    @discardableResult
    func putCourse(_ courseId: String, tenant: String = "acme", _ settings: String = "") async throws -> HTTPProbe.Answer {
        let body = #"{"title":"Course \#(courseId)"\#(settings.isEmpty ? "" : ",")\#(settings)}"#
        let answer = try await http.send("PUT", "/v1/courses/\(courseId)", token: admin(tenant), body: body)
        #expect(answer.status == 201 || answer.status == 200, "PUT course: \(answer.text)")
        return answer
    }

    /// `POST /v1/courses/{course}/enrollments` with `body`, as `token` (the tenant's admin by default).
    func enroll(_ body: String, in course: String, token: String? = nil, headers: [String: String] = [:]) async throws -> HTTPProbe.Answer {
        try await http.send("POST", "/v1/courses/\(course)/enrollments", token: token ?? admin(), body: body, headers: headers)
    }

    /// Feeds events to a handler as the consumer runtime would (one batch, one transaction).
    @discardableResult
    func deliver(_ events: [CloudEvent], to handler: some EventHandler) async throws -> [EventRejection] {
        try await harness.deliver(events, to: handler)
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
        try await harness.count(sql)
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

    /// Sends all requests at once; the answers in the order they arrive.
    static func concurrently<Item: Sendable>(
        _ items: some Sequence<Item>,
        _ send: @escaping @Sendable (Item) async throws -> HTTPProbe.Answer
    ) async throws -> [HTTPProbe.Answer] {
        try await withThrowingTaskGroup(of: HTTPProbe.Answer.self) { group in
            for item in items { group.addTask { try await send(item) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    // MARK: Running

    /// Starts the service (see ``ServiceHarness``), runs `body`, shuts everything down and drops the schema.
    static func run<R: Sendable>(
        consumers: Bool = false,
        rateLimit: SelfEnrollment.RateLimit = .init(),
        _ body: @Sendable (EnrollmentHarness) async throws -> R
    ) async throws -> R {
        let clock = TestClock()
        let options = EnrollmentModule.Options(clock: clock, schedulerInterval: nil, keyRateLimit: rateLimit, runsConsumers: consumers)
        return try await ServiceHarness.run(.enrollmentService(options), schemaPrefix: "enr") { harness in
            let module = EnrollmentModule(
                database: harness.database,
                eventSource: "/lms/enrollment-service",
                options: options,
                logger: harness.logger
            )
            return try await body(EnrollmentHarness(harness: harness, clock: clock, module: module))
        }
    }
}
