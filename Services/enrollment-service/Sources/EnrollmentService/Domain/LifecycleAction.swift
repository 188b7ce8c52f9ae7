import Contracts
import Foundation

/// A status change asked of an existing enrollment.
package struct LifecycleAction: Sendable {
    /// The tenant the caller acts in: an enrollment of another tenant is not found.
    package var tenantId: String
    package var enrollmentId: UUID
    package var command: LifecycleCommand
    /// Who asks: a user id, `rule:<ruleId>`, `system`, `user-service`, `progress-service`.
    package var actor: String
    package var reason: String?
    /// A manual withdrawal of a rule-driven enrollment excludes the user from that rule for the course.
    package var excludesFromRule: Bool

    package init(
        tenantId: String,
        enrollmentId: UUID,
        command: LifecycleCommand,
        actor: String,
        reason: String?,
        excludesFromRule: Bool = false
    ) {
        self.tenantId = tenantId
        self.enrollmentId = enrollmentId
        self.command = command
        self.actor = actor
        self.reason = reason
        self.excludesFromRule = excludesFromRule
    }
}

package enum LifecycleCommand: Sendable, Hashable {
    case withdraw
    case suspend(SuspensionCause?)
    /// Back to `active`: from `suspended`, or (seat permitting) from `withdrawn` or `expired`.
    case reactivate
    /// Lifts only a suspension of this cause (user reactivation); anything else is left alone.
    case restore(SuspensionCause)
    case complete(at: Date)
    case expire
}

/// What became of one ``LifecycleAction``.
package enum LifecycleOutcome: Sendable, Equatable {
    case changed(EnrollmentRecord)
    /// Nothing to do: the enrollment is already where the action leads (or the action does not apply).
    case unchanged(EnrollmentRecord)
    /// The status does not allow the action (e.g. withdrawing a completed enrollment).
    case refused(EnrollmentRecord, String)
    /// Reactivation needs a seat and the course has neither a seat nor a waitlist.
    case courseFull(EnrollmentRecord)
    case notFound
}

/// The status machine: where an action leads from a status. Pure, so it is unit-tested on its own.
package enum LifecycleRules {
    package enum Decision: Sendable, Equatable {
        case moveTo(EnrollmentStatus)
        /// Reactivation of an ended enrollment: active if a seat is free, else waitlisted or refused.
        case needsSeat
        case unchanged
        case refused(String)
    }

    package static func decide(_ command: LifecycleCommand, from status: EnrollmentStatus, cause: SuspensionCause?) -> Decision {
        switch (command, status) {
        case (.withdraw, .waitlisted), (.withdraw, .active), (.withdraw, .suspended): .moveTo(.withdrawn)
        case (.withdraw, .withdrawn): .unchanged
        case (.withdraw, _): .refused("a \(status.rawValue) enrollment cannot be withdrawn")

        case (.suspend, .active): .moveTo(.suspended)
        case (.suspend, .suspended): .unchanged
        case (.suspend, _): .refused("only an active enrollment can be suspended; this one is \(status.rawValue)")

        case (.reactivate, .suspended): .moveTo(.active)
        case (.reactivate, .withdrawn), (.reactivate, .expired): .needsSeat
        case (.reactivate, .active), (.reactivate, .waitlisted): .unchanged
        case (.reactivate, _): .refused("a \(status.rawValue) enrollment cannot be reactivated")

        case (.restore(let wanted), .suspended): cause == wanted ? .moveTo(.active) : .unchanged
        case (.restore, _): .unchanged

        case (.complete, .active), (.complete, .suspended): .moveTo(.completed)
        case (.complete, .completed): .unchanged
        case (.complete, _): .refused("a \(status.rawValue) enrollment cannot be completed")

        case (.expire, .active): .moveTo(.expired)
        case (.expire, _): .unchanged
        }
    }
}
