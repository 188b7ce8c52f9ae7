import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The rule policy of `lms.enrollment-commands.v1`, applied in the consumer's transaction.
///
/// - A command's `idempotencyKey` is claimed in `applied_commands`: a command seen before (even
///   re-sent with a new event id) does nothing.
/// - An enroll command for a user an admin withdrew from the rule's enrollment in this course is
///   skipped (the exclusion wins); otherwise the rule version and explanation are stored and a
///   suspension by the same rule is lifted. The enrollment is mandatory unless the command says
///   `mandatory: false` (a learner's own withdrawal of a non-mandatory one is no exclusion).
/// - Withdraw and suspend apply only to the enrollment that rule created; a withdraw command with
///   `onlyIfNotStarted` spares a learner who already started.
/// - An enroll command for a course this service does not know is refused and its key released,
///   so a replay after the course exists applies.
package struct RuleCommandApplier: Sendable {
    let workflow: EnrollmentWorkflow
    let enrollments: EnrollmentRepository
    let appliedCommands: AppliedCommandRepository
    let clock: any ServiceClock
    let logger: Logger

    /// Applies `commands` (one per idempotency key) in rounds that keep each learner's order;
    /// returns the commands refused for an unknown course.
    package func apply(_ commands: [RuleCommand], on connection: PostgresConnection) async throws -> [RuleCommand] {
        guard !commands.isEmpty else { return [] }
        let claimed = try await appliedCommands.claim(commands.map { ($0.key, $0.type) }, at: clock.now(), on: connection)
        let fresh = commands.filter { claimed.contains($0.key) }
        var refused: [RuleCommand] = []
        for round in BatchRounds.split(fresh, by: \.seat) {
            refused += try await applyRound(round, on: connection)
        }
        try await appliedCommands.release(refused.map(\.key), on: connection)
        return refused
    }

    /// Applies one round (each (course, user) once); returns the commands refused for an unknown course.
    private func applyRound(_ round: [RuleCommand], on connection: PostgresConnection) async throws -> [RuleCommand] {
        var enrolls: [(RuleCommand, EnrollCommand)] = []
        var changes: [(EnrollmentChangeCommand, LifecycleCommand)] = []
        for item in round {
            switch item.kind {
            case .enroll(let command): enrolls.append((item, command))
            case .change(let command, let lifecycle): changes.append((command, lifecycle))
            }
        }
        let refused = try await enroll(enrolls, on: connection)
        try await change(changes, on: connection)
        return refused
    }

    private func enroll(_ enrolls: [(RuleCommand, EnrollCommand)], on connection: PostgresConnection) async throws -> [RuleCommand] {
        guard !enrolls.isEmpty else { return [] }
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
        return zip(admitted, outcomes).compactMap { entry, outcome in outcome == .rejected(.courseNotFound) ? entry.0 : nil }
    }

    private func change(_ changes: [(EnrollmentChangeCommand, LifecycleCommand)], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        func seat(_ command: EnrollmentChangeCommand) -> SeatHolder {
            SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
        }
        let latest = try await enrollments.latest(for: Set(changes.map { seat($0.0) }), on: connection)
        // `onlyIfNotStarted` spares the learners who already started.
        let conditional = changes.filter { $0.0.onlyIfNotStarted == true }.compactMap { latest[seat($0.0)]?.enrollmentId }
        let started = try await enrollments.started(conditional, on: connection)
        let actions = changes.compactMap { command, lifecycle -> LifecycleAction? in
            // A rule changes only the enrollment it made.
            guard let record = latest[seat(command)], record.source == .rule, record.ruleId == command.ruleId else { return nil }
            if command.onlyIfNotStarted == true && started.contains(record.enrollmentId) { return nil }
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

    static func actor(_ ruleId: UUID) -> String {
        "rule:\(ruleId.lowercasedString)"
    }
}
