import Contracts
import Foundation

/// A request to enroll one user in one course, from any source (admin, bulk import, self-enrollment,
/// rule command). ``EnrollmentWorkflow/enroll(_:on:traceparent:)`` applies many at once.
package struct EnrollmentRequest: Sendable {
    package var tenantId: String
    package var courseId: String
    package var userId: String
    package var role: EnrollmentRole = .learner
    package var source: EnrollmentSource
    package var sourceRef: String?
    /// An explicit due date; otherwise the course's `defaultDueDays` from activation.
    package var dueAt: Date?
    package var rule: RuleProvenance?
    package var profileAnswers: [String: JSONValue]?
    /// Who asks: a user id, `rule:<ruleId>`, `system`.
    package var actor: String
    package var reason: String?
    /// Whether a full course may put the learner on its waitlist (when the course has one).
    package var mayWaitlist: Bool = true
    /// A suspension of this cause is lifted by this request (a rule matching again).
    package var liftsSuspension: SuspensionCause?
    /// The enrollment is mandatory: the learner may not withdraw itself. A mandatory request makes
    /// an open enrollment mandatory too and a non-mandatory one leaves its flag alone; a reopened
    /// (withdrawn or expired) enrollment takes the request's flag.
    package var mandatory: Bool = false

    package var course: CourseKey { CourseKey(tenantId: tenantId, courseId: courseId) }
    package var user: UserKey { UserKey(tenantId: tenantId, userId: userId) }
    package var seat: SeatHolder { SeatHolder(course: course, userId: userId) }
}

/// A rule behind an enrollment: which version enrolled the user and why.
package struct RuleProvenance: Sendable, Equatable {
    package var ruleId: UUID
    package var ruleVersion: Int64
    package var explanation: RuleExplanation?

    /// The contract's `sourceRef` of a rule-driven enrollment: rule id and version.
    package var sourceRef: String { "\(ruleId.lowercasedString)@v\(ruleVersion)" }
}

/// A user's place in a course, whatever the cycle.
package struct SeatHolder: Hashable, Sendable {
    package var course: CourseKey
    package var userId: String

    package init(course: CourseKey, userId: String) {
        self.course = course
        self.userId = userId
    }
}
