import Contracts
import Foundation
import PostgresNIO
import RulesWorker
import ServicePlatform
import TestSupport
import Testing

/// rules-worker under test: the service itself (HTTP, relay and, when asked, its consumers, job
/// runner and sweep) plus a second ``RulesWorkerModule`` over the same schema and clock, to drive
/// the handlers, job steps and sweep directly, and builders for the events the service consumes.
struct RulesWorkerHarness: Sendable {
    /// 2024-06-15T12:00:00Z, the "now" the tests start at.
    static let start = Date(timeIntervalSince1970: 1_718_452_800)

    let service: ServiceHarness
    let module: RulesWorkerModule
    let clock: TestClock

    var database: ServiceDatabase { service.database }

    /// Runs `body` against a fresh rules-worker. By default only HTTP and the relay run: tests feed
    /// the handlers and step the jobs and the sweep themselves.
    static func run<R: Sendable>(
        clock: TestClock = TestClock(RulesWorkerHarness.start), pageSize: Int = 500, backgroundWork: Bool = false, consumers: Bool = false,
        jobPollInterval: Duration = .seconds(1), sweepInterval: Duration = .seconds(60),
        beforeJobStepCommit: @escaping @Sendable () async throws -> Void = {},
        _ body: @Sendable (RulesWorkerHarness) async throws -> R
    ) async throws -> R {
        let options = RulesWorkerModule.Options(
            clock: clock, jobPageSize: pageSize, jobPollInterval: jobPollInterval, sweepInterval: sweepInterval,
            runsBackgroundWork: backgroundWork, runsConsumers: consumers, beforeJobStepCommit: beforeJobStepCommit)
        return try await ServiceHarness.run(.rulesWorker(options), schemaPrefix: "rules") { service in
            let module = RulesWorkerModule(database: service.database, eventSource: "/lms/rules-worker", options: options, logger: service.logger)
            return try await body(RulesWorkerHarness(service: service, module: module, clock: clock))
        }
    }

    /// Another worker over the same database (nothing shared with ``module`` but the database).
    func restartedModule(pageSize: Int) -> RulesWorkerModule {
        RulesWorkerModule(
            database: database, eventSource: "/lms/rules-worker",
            options: RulesWorkerModule.Options(clock: clock, jobPageSize: pageSize, runsBackgroundWork: false, runsConsumers: false),
            logger: service.logger)
    }

    // MARK: Events

    /// A `lms.user.upserted` snapshot.
    static func user(
        _ userId: String, tenant: String = "acme", version: Int64 = 1, department: String? = nil, hireDate: String? = nil,
        location: String? = nil, attributes: [String: AttributeValue] = [:], status: UserStatus = .active
    ) -> UserSnapshot {
        UserSnapshot(
            tenantId: tenant, userId: userId, email: "\(userId)@\(tenant).example", givenName: "Given \(userId)", familyName: "Family",
            jobRole: "Engineer", department: department, location: location, hireDate: hireDate.flatMap { CalendarDate($0) }, managerId: nil,
            attributes: attributes, status: status, changedFields: ["department"], version: version, updatedAt: start)
    }

    /// ann's rule enrollment in `courseId` (of rule `sourceRef`) withdrawn by `actor`.
    static func withdrawal(_ courseId: String, by actor: String, sourceRef: String, mandatory: Bool? = nil) -> EnrollmentSnapshot {
        EnrollmentSnapshot(
            enrollmentId: UUID(), tenantId: "acme", courseId: courseId, userId: "ann", role: .learner, status: .withdrawn, source: .rule,
            sourceRef: sourceRef, enrolledAt: start, cycle: 1, version: 2,
            transition: StatusTransition(from: .active, to: .withdrawn, reason: "withdrawn", actor: actor), mandatory: mandatory)
    }

    /// An event as the consumer runtime hands it to the handler.
    static func consumed<P: EventPayload>(_ payload: P, type: EventType? = nil, id: String = UUID().uuidString.lowercased()) throws -> ConsumedEvent {
        ServiceHarness.consumed([try CloudEvent.make(payload, type: type, source: "/lms/user-service", id: id, traceparent: nil)])[0]
    }

    // MARK: Driving

    /// Applies user events through the handler in one transaction, as the consumer would.
    func apply(_ events: [ConsumedEvent]) async throws {
        let rejections = try await database.transaction { connection in try await module.userHandler.handle(events, on: connection) }
        #expect(rejections.isEmpty, "\(rejections)")
    }

    /// Applies `lms.user.upserted` snapshots through the handler in one transaction.
    func upsert(_ users: [UserSnapshot]) async throws {
        try await apply(try users.map { try Self.consumed($0) })
    }

    /// Applies `enrollment-status-changed` events of `snapshots` through the handler in one transaction; returns the rejections.
    func applyEnrollments(_ snapshots: [EnrollmentSnapshot]) async throws -> [EventRejection] {
        let events = try snapshots.map { try Self.consumed($0, type: .enrollmentStatusChanged) }
        return try await database.transaction { connection in try await module.enrollmentHandler.handle(events, on: connection) }
    }

    /// Runs job steps (of `worker`, by default this harness's module) until no job is open; returns the number of steps.
    @discardableResult
    func drainJobs(_ worker: RulesWorkerModule? = nil) async throws -> Int {
        let stepper = (worker ?? module).stepper
        var steps = 0
        while try await stepper.step(database) { steps += 1 }
        return steps
    }

    /// Rows of the outbox, oldest first, optionally of one event type.
    func outbox(type: EventType? = nil) async throws -> [OutboxRow] {
        let rows = try await database.client.query(
            """
            SELECT event_type, message_key, payload FROM outbox_copies
            WHERE \(type?.rawValue)::text IS NULL OR event_type = \(type?.rawValue)::text ORDER BY id
            """, logger: database.logger)
        var result: [OutboxRow] = []
        for try await (eventType, key, payload) in rows.decode((String, String, String).self) {
            result.append(OutboxRow(type: EventType(eventType), key: key, payload: try JSONValue(parsing: Array(payload.utf8))))
        }
        return result
    }
}

/// An event waiting in the outbox.
struct OutboxRow: Sendable {
    var type: EventType
    var key: String
    var payload: JSONValue

    var userId: String? { payload["userId"]?.stringValue }
    var courseId: String? { payload["courseId"]?.stringValue }
    var idempotencyKey: String? { payload["idempotencyKey"]?.stringValue }
}
