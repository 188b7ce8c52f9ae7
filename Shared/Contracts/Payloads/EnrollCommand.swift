import Foundation

/// `lms.enrollment.enroll-requested`: a rule (or trusted service) asks enrollment-service to enroll a user.
public struct EnrollCommand: EventPayload {
    public static let eventTypes: [EventType] = [.enrollRequested]

    public var tenantId: String
    public var userId: String
    public var courseId: String
    @LowercaseUUID public var ruleId: UUID
    public var ruleVersion: Int64
    public var dueAt: Date?
    public var explanation: RuleExplanation
    /// Repeating a command with the same key has no further effect.
    public var idempotencyKey: String
    /// Whether the enrollment is mandatory (the learner may not withdraw itself); absent means `true`.
    public var mandatory: Bool?

    public init(
        tenantId: String,
        userId: String,
        courseId: String,
        ruleId: UUID,
        ruleVersion: Int64,
        dueAt: Date? = nil,
        explanation: RuleExplanation,
        idempotencyKey: String,
        mandatory: Bool? = nil
    ) {
        self.tenantId = tenantId
        self.userId = userId
        self.courseId = courseId
        self.ruleId = ruleId
        self.ruleVersion = ruleVersion
        self.dueAt = dueAt
        self.explanation = explanation
        self.idempotencyKey = idempotencyKey
        self.mandatory = mandatory
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.version(ruleVersion, "ruleVersion")
        try explanation.validate(at: "explanation")
        try FieldCheck.text(idempotencyKey, "idempotencyKey", minLength: 1)
    }
}
