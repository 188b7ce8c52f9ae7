import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.enrollment-commands.v1`: enroll, withdraw and suspend requested by rules.
///
/// - A command's `idempotencyKey` is claimed in `applied_commands`: a command seen before (even
///   re-sent with a new event id) does nothing.
/// - An enroll command for a user an admin withdrew from the rule's enrollment in this course is
///   skipped (the exclusion wins); otherwise the rule version and explanation are stored and a
///   suspension by the same rule is lifted. The enrollment is mandatory unless the command says
///   `mandatory: false` (a learner's own withdrawal of a non-mandatory one is no exclusion).
/// - Withdraw and suspend apply only to the enrollment that rule created.
/// - An enroll command for a course this service does not know is refused (dead-lettered) and its
///   key released, so a replay after the course exists applies.
package struct EnrollmentCommandHandler: EventHandler {
    let workflow: EnrollmentWorkflow
    let enrollments: EnrollmentRepository
    let clock: any ServiceClock
    let logger: Logger

    private enum Command {
        case enroll(EnrollCommand)
        case change(EnrollmentChangeCommand, LifecycleCommand)

        var tenantId: String {
            switch self {
            case .enroll(let command): command.tenantId
            case .change(let command, _): command.tenantId
            }
        }
        var idempotencyKey: String {
            switch self {
            case .enroll(let command): command.idempotencyKey
            case .change(let command, _): command.idempotencyKey
            }
        }
        var seat: SeatHolder {
            switch self {
            case .enroll(let command): SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
            case .change(let command, _):
                SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
            }
        }
    }

    private struct Pending {
        var eventId: String
        var type: EventType
        var command: Command
    }

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var pending: [Pending] = []
        var keysInBatch = Set<String>()
        for consumed in events {
            do throws(EventRejection) {
                let command: Command
                switch consumed.event.type {
                case .enrollRequested: command = .enroll(try consumed.payload(EnrollCommand.self))
                case .withdrawRequested: command = .change(try consumed.payload(EnrollmentChangeCommand.self), .withdraw)
                case .suspendRequested: command = .change(try consumed.payload(EnrollmentChangeCommand.self), .suspend(.rule))
                default:
                    throw EventRejection(eventId: consumed.event.id, errorClass: "unknown-type", message: "not a command: \(consumed.event.type)")
                }
                // The same command twice in one batch: the first one counts.
                guard keysInBatch.insert("\(command.tenantId)/\(command.idempotencyKey)").inserted else { continue }
                pending.append(Pending(eventId: consumed.event.id, type: consumed.event.type, command: command))
            } catch {
                rejections.append(error)
            }
        }
        let fresh = try await claim(pending, on: connection)
        var refused: [Pending] = []
        for round in BatchRounds.split(fresh, by: { $0.command.seat }) {
            refused += try await apply(round, on: connection)
        }
        if !refused.isEmpty {
            try await release(refused, on: connection)
            rejections += refused.map {
                EventRejection(eventId: $0.eventId, errorClass: "unknown-course", message: "course \($0.command.seat.course.courseId) does not exist")
            }
        }
        return rejections
    }

    /// Records the idempotency keys; returns the commands whose key was new.
    private func claim(_ pending: [Pending], on connection: PostgresConnection) async throws -> [Pending] {
        guard !pending.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO applied_commands (tenant_id, idempotency_key, event_type, applied_at)
            SELECT * , \(clock.now()) FROM unnest(\(pending.map(\.command.tenantId))::text[], \(pending.map(\.command.idempotencyKey))::text[],
                                \(pending.map(\.type.rawValue))::text[])
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, idempotency_key
            """,
            logger: logger
        )
        var claimed = Set<String>()
        for try await (tenant, key) in rows.decode((String, String).self) { claimed.insert("\(tenant)/\(key)") }
        return pending.filter { claimed.contains("\($0.command.tenantId)/\($0.command.idempotencyKey)") }
    }

    private func release(_ refused: [Pending], on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM applied_commands a
            USING unnest(\(refused.map(\.command.tenantId))::text[], \(refused.map(\.command.idempotencyKey))::text[]) AS k(tenant_id, key)
            WHERE a.tenant_id = k.tenant_id AND a.idempotency_key = k.key
            """,
            logger: logger
        )
    }

    /// Applies one round (each (course, user) once); returns the commands refused for an unknown course.
    private func apply(_ round: [Pending], on connection: PostgresConnection) async throws -> [Pending] {
        var enrolls: [(Pending, EnrollCommand)] = []
        var changes: [(EnrollmentChangeCommand, LifecycleCommand)] = []
        for item in round {
            switch item.command {
            case .enroll(let command): enrolls.append((item, command))
            case .change(let command, let lifecycle): changes.append((command, lifecycle))
            }
        }
        var refused: [Pending] = []
        if !enrolls.isEmpty {
            let excluded = try await enrollments.exclusions(
                enrolls.map { (tenantId: $0.1.tenantId, ruleId: $0.1.ruleId, courseId: $0.1.courseId, userId: $0.1.userId) },
                on: connection
            )
            let admitted = enrolls.filter {
                !excluded.contains(EnrollmentRepository.exclusionKey($0.1.tenantId, $0.1.ruleId, $0.1.courseId, $0.1.userId))
            }
            if admitted.count < enrolls.count {
                logger.info("Rule enrollments skipped: excluded by a manual withdrawal", metadata: ["count": "\(enrolls.count - admitted.count)"])
            }
            let requests = admitted.map { _, command in
                let rule = RuleProvenance(ruleId: command.ruleId, ruleVersion: command.ruleVersion, explanation: command.explanation)
                return EnrollmentRequest(
                    tenantId: command.tenantId,
                    courseId: command.courseId,
                    userId: command.userId,
                    source: .rule,
                    sourceRef: rule.sourceRef,
                    dueAt: command.dueAt,
                    rule: rule,
                    actor: Self.actor(command.ruleId),
                    reason: "rule \(command.explanation.ruleName) v\(command.ruleVersion) matched",
                    liftsSuspension: .rule,
                    mandatory: command.mandatory ?? true
                )
            }
            let outcomes = try await workflow.enroll(requests, on: connection)
            for ((pending, _), outcome) in zip(admitted, outcomes) where outcome == .rejected(.courseNotFound) {
                refused.append(pending)
            }
        }
        if !changes.isEmpty {
            let latest = try await enrollments.latest(
                for: Set(changes.map { SeatHolder(course: CourseKey(tenantId: $0.0.tenantId, courseId: $0.0.courseId), userId: $0.0.userId) }),
                on: connection
            )
            // `withdrawIfNotStarted` spares the learners who already started (rules-worker puts
            // the policy first in the reason: `onUnmatch=withdrawIfNotStarted: ...`).
            let conditional = changes.filter { $0.0.reason.hasPrefix(Self.withdrawIfNotStartedPrefix) }.compactMap { command, _ in
                latest[SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)]?.enrollmentId
            }
            let started = try await enrollments.started(conditional, on: connection)
            let actions = changes.compactMap { command, lifecycle -> LifecycleAction? in
                let seat = SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
                // A rule changes only the enrollment it made.
                guard let record = latest[seat], record.source == .rule, record.ruleId == command.ruleId else { return nil }
                if started.contains(record.enrollmentId) && command.reason.hasPrefix(Self.withdrawIfNotStartedPrefix) { return nil }
                return LifecycleAction(
                    tenantId: command.tenantId,
                    enrollmentId: record.enrollmentId,
                    command: lifecycle,
                    actor: Self.actor(command.ruleId),
                    reason: command.reason
                )
            }
            _ = try await workflow.apply(actions, on: connection)
        }
        return refused
    }

    static let withdrawIfNotStartedPrefix = "onUnmatch=withdrawIfNotStarted:"

    static func actor(_ ruleId: UUID) -> String {
        "rule:\(ruleId.uuidString.lowercased())"
    }
}
