import Foundation

/// `lms.report.compliance` (compacted, key `<tenantId>/<courseId>/<dimension>/<value>`): completion of a
/// course within one department, location or job role.
public struct ComplianceReport: EventPayload {
    public static let eventTypes: [EventType] = [.complianceReport]

    public var tenantId: String
    public var courseId: String
    public var dimension: ComplianceDimension
    /// The group, e.g. the department name; empty for users without a value.
    public var value: String
    public var asOf: Date
    public var assigned: Int
    public var completed: Int
    public var overdue: Int
    /// Completed / assigned as a fraction, 0...1.
    public var complianceRate: Double
    public var version: Int64

    public init(
        tenantId: String, courseId: String, dimension: ComplianceDimension, value: String, asOf: Date,
        assigned: Int, completed: Int, overdue: Int, complianceRate: Double, version: Int64
    ) {
        self.tenantId = tenantId
        self.courseId = courseId
        self.dimension = dimension
        self.value = value
        self.asOf = asOf
        self.assigned = assigned
        self.completed = completed
        self.overdue = overdue
        self.complianceRate = complianceRate
        self.version = version
    }

    /// `courseId/dimension/value`, so each group is its own compacted key.
    public var aggregateId: String { "\(courseId)/\(dimension.rawValue)/\(value)" }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(courseId, "courseId")
        try FieldCheck.text(value, "value")
        try FieldCheck.atLeast(assigned, "assigned", 0)
        try FieldCheck.atLeast(completed, "completed", 0)
        try FieldCheck.atLeast(overdue, "overdue", 0)
        try FieldCheck.range(complianceRate, "complianceRate", 0...1)
        try FieldCheck.version(version)
    }
}
