import Foundation

/// `lms.course.upserted`: the settings snapshot of a course, owned by enrollment-service.
public struct CourseSettings: EventPayload {
    public static let eventTypes: [EventType] = [.courseUpserted]

    public var tenantId: String
    public var courseId: String
    public var title: String
    /// Maximum active enrollments; `nil` means unlimited.
    public var capacity: Int?
    /// Whether enrollments beyond `capacity` wait (`waitlisted`) instead of being refused.
    public var waitlist: Bool
    public var enrollmentOpensAt: Date?
    public var enrollmentClosesAt: Date?
    public var selfEnrollment: SelfEnrollmentSettings
    public var defaultDueDays: Int?
    public var accessDays: Int?
    public var recertifyEveryDays: Int?
    /// Module ids a learner must complete to complete the course.
    public var modules: [String]
    public var passingScore: Double?
    public var version: Int64
    public var updatedAt: Date

    public init(
        tenantId: String, courseId: String, title: String, capacity: Int? = nil, waitlist: Bool,
        enrollmentOpensAt: Date? = nil, enrollmentClosesAt: Date? = nil, selfEnrollment: SelfEnrollmentSettings,
        defaultDueDays: Int? = nil, accessDays: Int? = nil, recertifyEveryDays: Int? = nil, modules: [String],
        passingScore: Double? = nil, version: Int64, updatedAt: Date
    ) {
        self.tenantId = tenantId
        self.courseId = courseId
        self.title = title
        self.capacity = capacity
        self.waitlist = waitlist
        self.enrollmentOpensAt = enrollmentOpensAt
        self.enrollmentClosesAt = enrollmentClosesAt
        self.selfEnrollment = selfEnrollment
        self.defaultDueDays = defaultDueDays
        self.accessDays = accessDays
        self.recertifyEveryDays = recertifyEveryDays
        self.modules = modules
        self.passingScore = passingScore
        self.version = version
        self.updatedAt = updatedAt
    }

    public var aggregateId: String { courseId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.text(title, "title", maxLength: 512, minLength: 1)
        try FieldCheck.atLeast(capacity, "capacity", 0)
        if let opens = enrollmentOpensAt, let closes = enrollmentClosesAt, closes < opens {
            throw FieldCheck.fail("enrollmentClosesAt", "must not be before enrollmentOpensAt")
        }
        for (position, field) in selfEnrollment.requiredProfileFields.enumerated() {
            try FieldCheck.text(field, "selfEnrollment.requiredProfileFields[\(position)]", maxLength: 128, minLength: 1)
        }
        try FieldCheck.atLeast(defaultDueDays, "defaultDueDays", 0)
        try FieldCheck.atLeast(accessDays, "accessDays", 1)
        try FieldCheck.atLeast(recertifyEveryDays, "recertifyEveryDays", 1)
        try FieldCheck.identifiers(modules, "modules")
        try FieldCheck.range(passingScore, "passingScore", 0...100)
        try FieldCheck.version(version)
    }
}

/// Who may enroll themselves in a course (with an enrollment key or link).
public struct SelfEnrollmentSettings: Codable, Sendable, Equatable, Hashable {
    public var enabled: Bool
    /// Profile fields a learner must supply (or already have) to self-enroll, e.g. `department`.
    public var requiredProfileFields: [String]
    /// Only members of this segment may self-enroll.
    public var restrictToSegmentId: UUID?

    public init(enabled: Bool, requiredProfileFields: [String] = [], restrictToSegmentId: UUID? = nil) {
        self.enabled = enabled
        self.requiredProfileFields = requiredProfileFields
        self.restrictToSegmentId = restrictToSegmentId
    }

    private enum CodingKeys: String, CodingKey {
        case enabled, requiredProfileFields, restrictToSegmentId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(requiredProfileFields, forKey: .requiredProfileFields)
        try container.encodeIfPresent(restrictToSegmentId?.lowercasedString, forKey: .restrictToSegmentId)
    }
}
