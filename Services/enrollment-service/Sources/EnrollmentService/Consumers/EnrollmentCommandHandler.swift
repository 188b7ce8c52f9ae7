import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.enrollment-commands.v1` (enroll, withdraw and suspend requested by rules) with the
/// ``RuleCommandApplier``. The same command twice in one batch counts once; an enroll command for
/// a course this service does not know is dead-lettered (`unknown-course`).
package struct EnrollmentCommandHandler: EventHandler {
    let applier: RuleCommandApplier

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var keysInBatch = Set<AppliedCommandRepository.Key>()
        let batch = events.decode { consumed throws(EventRejection) -> RuleCommand? in
            let kind: RuleCommand.Kind
            switch consumed.event.type {
            case .enrollRequested: kind = .enroll(try consumed.payload(EnrollCommand.self))
            case .withdrawRequested: kind = .change(try consumed.payload(EnrollmentChangeCommand.self), .withdraw)
            case .suspendRequested: kind = .change(try consumed.payload(EnrollmentChangeCommand.self), .suspend(.rule))
            default: throw consumed.unexpectedType("a command")
            }
            let command = RuleCommand(eventId: consumed.event.id, type: consumed.event.type, kind: kind)
            // The same command twice in one batch: the first one counts.
            return keysInBatch.insert(command.key).inserted ? command : nil
        }
        let refused = try await applier.apply(batch.payloads, on: connection)
        return batch.rejections
            + refused.map {
                EventRejection(eventId: $0.eventId, errorClass: "unknown-course", message: "course \($0.seat.course.courseId) does not exist")
            }
    }
}
