import Contracts
import Foundation

/// One enrollment as stored: the contract's enrollment plus what the service keeps about why it
/// exists (rule provenance and explanation, self-enrollment profile answers) and who suspended it.
package struct EnrollmentRecord: Codable, Sendable, Equatable {
    package var enrollmentId: UUID
    package var tenantId: String
    package var courseId: String
    package var userId: String
    package var cycle: Int
    package var role: EnrollmentRole
    package var status: EnrollmentStatus
    package var source: EnrollmentSource
    package var sourceRef: String?
    package var enrolledAt: Date
    package var dueAt: Date?
    package var expiresAt: Date?
    package var completedAt: Date?
    /// When the current status began; the waitlist is served in this order.
    package var statusChangedAt: Date
    /// Why a `suspended` enrollment is suspended when the service must undo it itself later
    /// (``SuspensionCause``); `nil` for manual suspensions.
    package var suspensionCause: SuspensionCause?
    package var ruleId: UUID?
    package var ruleVersion: Int64?
    package var explanation: RuleExplanation?
    /// The self-enrollment answers to the course's required profile fields.
    package var profileAnswers: [String: JSONValue]?
    /// The learner may not withdraw itself; admins and the course's instructors still may.
    package var mandatory: Bool
    package var version: Int64

    enum CodingKeys: String, CodingKey {
        case enrollmentId = "enrollment_id"
        case tenantId = "tenant_id"
        case courseId = "course_id"
        case userId = "user_id"
        case cycle, role, status, source
        case sourceRef = "source_ref"
        case enrolledAt = "enrolled_at"
        case dueAt = "due_at"
        case expiresAt = "expires_at"
        case completedAt = "completed_at"
        case statusChangedAt = "status_changed_at"
        case suspensionCause = "suspension_cause"
        case ruleId = "rule_id"
        case ruleVersion = "rule_version"
        case explanation
        case profileAnswers = "profile_answers"
        case mandatory, version
    }

    package var course: CourseKey { CourseKey(tenantId: tenantId, courseId: courseId) }

    /// Whether this enrollment occupies one of the course's seats (`capacity`).
    package var holdsSeat: Bool { role == .learner && status.holdsSeat }

    /// The contract snapshot (`lms.enrollment.*` payload and API representation).
    package func snapshot(transition: StatusTransition? = nil) -> EnrollmentSnapshot {
        EnrollmentSnapshot(
            enrollmentId: enrollmentId,
            tenantId: tenantId,
            courseId: courseId,
            userId: userId,
            role: role,
            status: status,
            source: source,
            sourceRef: sourceRef,
            enrolledAt: enrolledAt,
            dueAt: dueAt,
            expiresAt: expiresAt,
            completedAt: completedAt,
            cycle: cycle,
            version: version,
            transition: transition,
            mandatory: mandatory
        )
    }
}

/// Why the service itself suspended an enrollment, so that it restores exactly those later.
package enum SuspensionCause: String, Codable, Sendable, Hashable {
    /// `lms.user.deactivated`; `lms.user.reactivated` restores it.
    case userDeactivated = "user-deactivated"
    /// A rule's `suspend-requested`; the rule's next `enroll-requested` restores it.
    case rule
}

extension EnrollmentStatus {
    /// Seats are held by active and suspended learners (a suspension is temporary).
    package var holdsSeat: Bool { self == .active || self == .suspended }
}
