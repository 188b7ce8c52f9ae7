import Foundation

/// `lms.enrollment.withdraw-requested` and `lms.enrollment.suspend-requested`: a rule asks
/// enrollment-service to withdraw or suspend the user's enrollment in a course (its `onUnmatch` policy).
public struct EnrollmentChangeCommand: EventPayload {
    public static let eventTypes: [EventType] = [.withdrawRequested, .suspendRequested]

    public var tenantId: String
    public var userId: String
    public var courseId: String
    @LowercaseUUID public var ruleId: UUID
    public var ruleVersion: Int64
    public var reason: String
    /// Repeating a command with the same key has no further effect.
    public var idempotencyKey: String
    /// Why the rule no longer matches (optional).
    public var explanation: RuleExplanation?
    /// Withdraw only if the learner has not started; a started enrollment stays (a rule's
    /// `onUnmatch: withdrawIfNotStarted`). Absent means `false`. Producers set it only on withdraw-requested.
    public var onlyIfNotStarted: Bool?

    public init(
        tenantId: String,
        userId: String,
        courseId: String,
        ruleId: UUID,
        ruleVersion: Int64,
        reason: String,
        idempotencyKey: String,
        explanation: RuleExplanation? = nil,
        onlyIfNotStarted: Bool? = nil
    ) {
        self.tenantId = tenantId
        self.userId = userId
        self.courseId = courseId
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
        self.reason = reason
        self.idempotencyKey = idempotencyKey
        self.explanation = explanation
        self.onlyIfNotStarted = onlyIfNotStarted
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.version(ruleVersion, "ruleVersion")
        try FieldCheck.text(reason, "reason", maxLength: FieldCheck.maximumReasonLength, minLength: 1)
        try FieldCheck.text(idempotencyKey, "idempotencyKey", minLength: 1)
        try explanation?.validate(at: "explanation")
    }
}
