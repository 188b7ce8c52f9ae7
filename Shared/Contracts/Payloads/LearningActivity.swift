import Foundation

/// `platform.learning.activity`: one xAPI-like statement from a content player.
public struct LearningActivity: EventPayload {
    public static let eventTypes: [EventType] = [.learningActivity]

    public var tenantId: String
    /// Idempotency key: a statement seen twice is applied once.
    @LowercaseUUID public var statementId: UUID
    public var userId: String
    public var courseId: String
    public var moduleId: String
    public var verb: ActivityVerb
    /// Module progress as a fraction, 0...1.
    public var progress: Double?
    /// Score in percent, 0...100.
    public var score: Double?
    public var durationSeconds: Int?
    public var occurredAt: Date

    public init(
        tenantId: String, statementId: UUID, userId: String, courseId: String, moduleId: String, verb: ActivityVerb,
        progress: Double? = nil, score: Double? = nil, durationSeconds: Int? = nil, occurredAt: Date
    ) {
        self.tenantId = tenantId
        self.statementId = statementId
        self.userId = userId
        self.courseId = courseId
        self.moduleId = moduleId
        self.verb = verb
        self.progress = progress
        self.score = score
        self.durationSeconds = durationSeconds
        self.occurredAt = occurredAt
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.identifier(moduleId, "moduleId")
        try FieldCheck.range(progress, "progress", 0...1)
        try FieldCheck.range(score, "score", 0...100)
        try FieldCheck.atLeast(durationSeconds, "durationSeconds", 0)
    }
}
