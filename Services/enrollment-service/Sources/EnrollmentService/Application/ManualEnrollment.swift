import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Enrollment by admins, instructors and services: enrolling (one user or a bulk chunk), the status
/// actions (withdraw, suspend, reactivate) and edits (due date, mandatory flag), each in one transaction.
package struct ManualEnrollment: Sendable {
    let database: ServiceDatabase
    let enrollments: EnrollmentRepository
    let workflow: EnrollmentWorkflow

    /// Enrolls `requests` in one transaction (one HTTP request, or one chunk of a bulk import).
    package func enroll(_ requests: [EnrollmentRequest], traceparent: String?) async throws -> [EnrollmentOutcome] {
        try await database.transaction { connection in
            try await workflow.enroll(requests, on: connection, traceparent: traceparent)
        }
    }

    /// Withdraws, suspends or reactivates an enrollment (`verb` names the action in refusals).
    /// Managers of the course may do all three; a learner may only withdraw itself, and not from
    /// a mandatory enrollment. A withdrawal by someone else than the learner excludes it from the
    /// rule that enrolled it.
    package func act(
        _ command: LifecycleCommand,
        verb: String,
        on enrollmentId: UUID,
        caller: Caller,
        reason: String?,
        traceparent: String?
    ) async throws -> EnrollmentRecord {
        try await database.transaction { connection in
            let record = try await accessible(enrollmentId, caller: caller, on: connection)
            let ownWithdrawal = record.userId == caller.userId && command == .withdraw
            var manages = caller.managesEveryCourse
            if !manages && caller.isInstructor {
                manages = try await enrollments.isInstructor(caller.userId, of: record.course, on: connection)
            }
            guard manages || ownWithdrawal else {
                throw EnrollmentError.forbidden("Only admins and the course's instructors may \(verb) this enrollment.")
            }
            if !manages && record.mandatory && record.status != .withdrawn { throw EnrollmentError.mandatoryEnrollment(enrollmentId) }
            // A learner's own withdrawal is never a rule exclusion: the rule may enroll it again.
            let action = LifecycleAction(
                tenantId: caller.tenantId,
                enrollmentId: enrollmentId,
                command: command,
                actor: caller.userId,
                reason: reason,
                excludesFromRule: record.userId != caller.userId
            )
            switch try await workflow.apply([action], on: connection, traceparent: traceparent)[0] {
            case .changed(let record), .unchanged(let record): return record
            case .refused(_, let why): throw EnrollmentError.invalidTransition(why)
            case .courseFull: throw EnrollmentError.courseFull(courseId: record.courseId)
            case .notFound: throw EnrollmentError.notFound("Enrollment \(enrollmentId.lowercasedString)")
            }
        }
    }

    /// Applies an edit (due date, mandatory flag); only managers of the course may.
    package func edit(
        _ enrollmentId: UUID,
        _ edit: EnrollmentEdit,
        caller: Caller,
        reason: String?,
        traceparent: String?
    ) async throws -> EnrollmentRecord {
        try await database.transaction { connection in
            let record = try await accessible(enrollmentId, caller: caller, on: connection)
            if !caller.managesEveryCourse {
                guard try await enrollments.isInstructor(caller.userId, of: record.course, on: connection) else {
                    throw EnrollmentError.forbidden("Only admins and the course's instructors may change enrollments.")
                }
            }
            guard
                let changed = try await workflow.edit(
                    enrollmentId,
                    tenantId: caller.tenantId,
                    edit,
                    actor: caller.userId,
                    reason: reason,
                    on: connection,
                    traceparent: traceparent
                )
            else { throw EnrollmentError.notFound("Enrollment \(enrollmentId.lowercasedString)") }
            return changed
        }
    }

    /// The enrollment when the caller may see it, else not found.
    private func accessible(_ enrollmentId: UUID, caller: Caller, on connection: PostgresConnection) async throws -> EnrollmentRecord {
        guard let record = try await enrollments.find(enrollmentId, tenantId: caller.tenantId, on: connection),
            try await EnrollmentLookup.mayAccess(record, caller: caller, enrollments: enrollments, on: connection)
        else { throw EnrollmentError.notFound("Enrollment \(enrollmentId.lowercasedString)") }
        return record
    }
}
