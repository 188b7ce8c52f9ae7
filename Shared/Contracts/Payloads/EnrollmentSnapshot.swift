import Foundation

/// `lms.enrollment.created`, `lms.enrollment.status-changed` and `lms.enrollment.updated`: the full
/// enrollment after the change; status changes also carry the `transition`.
public struct EnrollmentSnapshot: EventPayload {
    public static let eventTypes: [EventType] = [.enrollmentCreated, .enrollmentStatusChanged, .enrollmentUpdated]

    @LowercaseUUID public var enrollmentId: UUID
    public var tenantId: String
    public var courseId: String
    public var userId: String
    public var role: EnrollmentRole
    public var status: EnrollmentStatus
    public var source: EnrollmentSource
    /// Admin id, enrollment key id, `ruleId` + version, or import id, depending on `source`.
    public var sourceRef: String?
    public var enrolledAt: Date
    public var dueAt: Date?
    public var expiresAt: Date?
    public var completedAt: Date?
    /// 1 for the first enrollment, 2, 3, ... for recertification cycles.
    public var cycle: Int
    public var version: Int64
    public var transition: StatusTransition?
    /// Whether the learner may not withdraw itself (only an admin or the course's instructors may).
    /// enrollment-service always sends it; events from before the field existed lack it.
    public var mandatory: Bool?

    public init(
        enrollmentId: UUID,
        tenantId: String,
        courseId: String,
        userId: String,
        role: EnrollmentRole,
        status: EnrollmentStatus,
        source: EnrollmentSource,
        sourceRef: String? = nil,
        enrolledAt: Date,
        dueAt: Date? = nil,
        expiresAt: Date? = nil,
        completedAt: Date? = nil,
        cycle: Int,
        version: Int64,
        transition: StatusTransition? = nil,
        mandatory: Bool? = nil
    ) {
        self.enrollmentId = enrollmentId
        self.tenantId = tenantId
        self.courseId = courseId
        self.userId = userId
        self.role = role
        self.status = status
        self.source = source
        self.sourceRef = sourceRef
        self.enrolledAt = enrolledAt
        self.dueAt = dueAt
        self.expiresAt = expiresAt
        self.completedAt = completedAt
        self.cycle = cycle
        self.version = version
        self.transition = transition
        self.mandatory = mandatory
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.text(sourceRef, "sourceRef", minLength: 1)
        try FieldCheck.atLeast(cycle, "cycle", 1)
        try FieldCheck.version(version)
        if let transition {
            try FieldCheck.text(transition.reason, "transition.reason", maxLength: FieldCheck.maximumReasonLength)
            try FieldCheck.text(transition.actor, "transition.actor", minLength: 1)
        }
    }
}

/// A recorded status change: `from` is `nil` for the initial status.
public struct StatusTransition: Codable, Sendable, Equatable, Hashable {
    public var from: EnrollmentStatus?
    public var to: EnrollmentStatus
    public var reason: String?
    /// Who caused it: a user id, `rule:<ruleId>`, `system`, ...
    public var actor: String

    public init(from: EnrollmentStatus? = nil, to: EnrollmentStatus, reason: String? = nil, actor: String) {
        self.from = from
        self.to = to
        self.reason = reason
        self.actor = actor
    }
}
