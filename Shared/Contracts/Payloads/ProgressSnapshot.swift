import Foundation

/// `lms.progress.updated`, `lms.progress.completed` and `lms.progress.overdue`: a learner's progress in
/// one enrollment after the change.
public struct ProgressSnapshot: EventPayload {
    public static let eventTypes: [EventType] = [.progressUpdated, .progressCompleted, .progressOverdue]

    public var tenantId: String
    @LowercaseUUID public var enrollmentId: UUID
    public var userId: String
    public var courseId: String
    /// Completion in percent, 0...100.
    public var percent: Double
    public var status: ProgressStatus
    /// Best score in percent, 0...100.
    public var score: Double?
    public var timeSpentSeconds: Int
    public var completedModules: [String]
    public var lastActivityAt: Date?
    public var dueAt: Date?
    public var overdue: Bool
    /// When the completion policy was first met in this cycle.
    public var completedAt: Date?
    /// Whether the completion came after `dueAt` (recorded for compliance reporting).
    public var completedLate: Bool?
    public var cycle: Int
    public var version: Int64

    public init(
        tenantId: String, enrollmentId: UUID, userId: String, courseId: String, percent: Double,
        status: ProgressStatus, score: Double? = nil, timeSpentSeconds: Int, completedModules: [String],
        lastActivityAt: Date? = nil, dueAt: Date? = nil, overdue: Bool, completedAt: Date? = nil, completedLate: Bool? = nil,
        cycle: Int, version: Int64
    ) {
        self.tenantId = tenantId
        self.enrollmentId = enrollmentId
        self.userId = userId
        self.courseId = courseId
        self.percent = percent
        self.status = status
        self.score = score
        self.timeSpentSeconds = timeSpentSeconds
        self.completedModules = completedModules
        self.lastActivityAt = lastActivityAt
        self.dueAt = dueAt
        self.overdue = overdue
        self.completedAt = completedAt
        self.completedLate = completedLate
        self.cycle = cycle
        self.version = version
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.range(percent, "percent", 0...100)
        try FieldCheck.range(score, "score", 0...100)
        try FieldCheck.atLeast(timeSpentSeconds, "timeSpentSeconds", 0)
        try FieldCheck.identifiers(completedModules, "completedModules")
        try FieldCheck.atLeast(cycle, "cycle", 1)
        try FieldCheck.version(version)
    }
}
