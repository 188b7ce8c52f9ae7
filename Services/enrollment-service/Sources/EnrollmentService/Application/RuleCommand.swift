import Contracts

/// One command of `lms.enrollment-commands.v1`, decoded: enroll, or withdraw / suspend.
package struct RuleCommand: Sendable {
    package enum Kind: Sendable {
        case enroll(EnrollCommand)
        case change(EnrollmentChangeCommand, LifecycleCommand)
    }

    /// The event that carried the command (its rejection names it).
    package var eventId: String
    package var type: EventType
    package var kind: Kind

    package var key: AppliedCommandRepository.Key {
        switch kind {
        case .enroll(let command): AppliedCommandRepository.Key(tenantId: command.tenantId, idempotencyKey: command.idempotencyKey)
        case .change(let command, _): AppliedCommandRepository.Key(tenantId: command.tenantId, idempotencyKey: command.idempotencyKey)
        }
    }

    package var seat: SeatHolder {
        switch kind {
        case .enroll(let command): SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
        case .change(let command, _): SeatHolder(course: CourseKey(tenantId: command.tenantId, courseId: command.courseId), userId: command.userId)
        }
    }
}
