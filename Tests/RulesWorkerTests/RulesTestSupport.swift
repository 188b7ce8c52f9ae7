import Contracts
import Foundation
import Kafka
import Logging
import PostgresNIO
@testable import RulesWorker
import ServicePlatform
import Synchronization
import TestSupport
import Testing

/// A clock tests move by hand.
final class ManualClock: RulesClock {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    func advance(days: Int) {
        current.withLock { $0 = $0.addingTimeInterval(Double(days) * 86_400) }
    }
}

enum RulesTest {
    /// 2024-06-15T12:00:00Z, the "now" the tests start at.
    static let start = Date(timeIntervalSince1970: 1_718_452_800)

    static var logger: Logger {
        var logger = Logger(label: "rules-worker-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["LMS_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    static func databaseURL() throws -> DatabaseURL {
        let text = try #require(ProcessInfo.processInfo.environment["LMS_TEST_DATABASE_URL"], "run through scripts/test (LMS_TEST_DATABASE_URL)")
        return try DatabaseURL(text)
    }

    static func schemaName() -> String {
        "rules_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// A migrated `rules` schema of its own, dropped afterwards, and the worker's parts over it
    /// (background job runner and sweep not running: tests step them).
    static func withWorker<R: Sendable>(
        clock: ManualClock = ManualClock(RulesTest.start), pageSize: Int = 500,
        beforeJobStepCommit: @escaping @Sendable () async throws -> Void = {},
        _ body: @Sendable (ServiceDatabase, RulesWorkerParts, ManualClock) async throws -> R
    ) async throws -> R {
        let logger = Self.logger
        let database = ServiceDatabase(
            url: try databaseURL(), schema: schemaName(), migrations: RulesMigrations.all, logger: logger, maxConnections: 6)
        let options = RulesWorkerOptions(clock: clock, jobPageSize: pageSize, runsBackgroundWork: false, beforeJobStepCommit: beforeJobStepCommit)
        let parts = RulesWorkerParts(database: database, eventSource: "/lms/rules-worker", options: options, logger: logger)
        return try await withRunning([database], logger: logger) {
            try await database.ready()
            do {
                let result = try await body(database, parts, clock)
                try await database.client.query("DROP SCHEMA \(unescaped: database.schema) CASCADE", logger: logger)
                return result
            } catch {
                _ = try? await database.client.query("DROP SCHEMA \(unescaped: database.schema) CASCADE", logger: logger)
                throw error
            }
        }
    }

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

    /// An event as the consumer runtime hands it to the handler.
    static func consumed<P: EventPayload>(_ payload: P, type: EventType? = nil, id: String = UUID().uuidString.lowercased()) throws -> ConsumedEvent {
        let event = try CloudEvent.make(payload, type: type, source: "/lms/user-service", id: id, traceparent: nil)
        let message = KafkaConsumerMessage(
            topic: (type ?? P.eventTypes[0]).topic?.name ?? "", partition: 0, offset: 0, key: Array(event.kafkaKey.utf8), value: event.data,
            headers: event.binaryModeHeaderBytes.map { KafkaHeader(key: $0.key, value: $0.value) })
        return ConsumedEvent(event: event, message: message)
    }

    /// Applies user events through the handler in one transaction, as the consumer would.
    static func apply(_ events: [ConsumedEvent], _ parts: RulesWorkerParts, _ database: ServiceDatabase) async throws {
        let rejections = try await database.transaction { connection in try await parts.userEvents.handle(events, on: connection) }
        #expect(rejections.isEmpty, "\(rejections)")
    }

    /// Runs job steps until no job is open; returns the number of steps.
    @discardableResult
    static func drainJobs(_ parts: RulesWorkerParts, _ database: ServiceDatabase) async throws -> Int {
        var steps = 0
        while try await parts.stepper.step(database) { steps += 1 }
        return steps
    }

    /// Rows of the outbox, oldest first, optionally of one event type.
    static func outbox(_ database: ServiceDatabase, type: EventType? = nil) async throws -> [OutboxRow] {
        let rows = try await database.client.query(
            """
            SELECT event_type, message_key, payload FROM outbox
            WHERE \(type?.rawValue)::text IS NULL OR event_type = \(type?.rawValue)::text ORDER BY id
            """, logger: database.logger)
        var result: [OutboxRow] = []
        for try await (eventType, key, payload) in rows.decode((String, String, String).self) {
            result.append(OutboxRow(type: EventType(eventType), key: key, payload: try JSONValue(parsing: Array(payload.utf8))))
        }
        return result
    }

    static func count(_ database: ServiceDatabase, _ sql: String) async throws -> Int {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: database.logger)
        for try await value in rows.decode(Int64.self) { return Int(value) }
        return 0
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
