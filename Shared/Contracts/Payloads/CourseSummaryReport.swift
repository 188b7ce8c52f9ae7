import Foundation

/// `lms.report.course-summary` (compacted, key `<tenantId>/<courseId>`): enrollment and completion
/// figures of one course. Also the JSON of `GET /v1/reports/courses/{courseId}/summary`.
public struct CourseSummaryReport: EventPayload {
    public static let eventTypes: [EventType] = [.courseSummaryReport]

    public var tenantId: String
    public var courseId: String
    public var asOf: Date
    public var enrolled: Int
    /// Enrollment counts keyed by `EnrollmentStatus` raw value.
    public var byStatus: [String: Int]
    /// Enrollment counts keyed by `EnrollmentSource` raw value.
    public var bySource: [String: Int]
    /// Completed / enrolled as a fraction, 0...1.
    public var completionRate: Double
    /// Mean progress percent, 0...100.
    public var averagePercent: Double
    public var overdue: Int
    public var medianDaysToComplete: Double?
    public var version: Int64

    public init(
        tenantId: String, courseId: String, asOf: Date, enrolled: Int, byStatus: [String: Int],
        bySource: [String: Int], completionRate: Double, averagePercent: Double, overdue: Int,
        medianDaysToComplete: Double? = nil, version: Int64
    ) {
        self.tenantId = tenantId
        self.courseId = courseId
        self.asOf = asOf
        self.enrolled = enrolled
        self.byStatus = byStatus
        self.bySource = bySource
        self.completionRate = completionRate
        self.averagePercent = averagePercent
        self.overdue = overdue
        self.medianDaysToComplete = medianDaysToComplete
        self.version = version
    }

    public var aggregateId: String { courseId }

    private static let statusKeys = Set(EnrollmentStatus.allCases.map(\.rawValue))
    private static let sourceKeys = Set(EnrollmentSource.allCases.map(\.rawValue))

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.atLeast(enrolled, "enrolled", 0)
        try FieldCheck.counts(byStatus, "byStatus", allowedKeys: Self.statusKeys)
        try FieldCheck.counts(bySource, "bySource", allowedKeys: Self.sourceKeys)
        try FieldCheck.range(completionRate, "completionRate", 0...1)
        try FieldCheck.range(averagePercent, "averagePercent", 0...100)
        try FieldCheck.atLeast(overdue, "overdue", 0)
        try FieldCheck.atLeast(medianDaysToComplete, "medianDaysToComplete", 0)
        try FieldCheck.version(version)
    }
}
