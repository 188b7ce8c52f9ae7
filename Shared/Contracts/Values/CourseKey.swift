/// One course of one tenant.
public struct CourseKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var tenantId: String
    public var courseId: String

    public init(tenantId: String, courseId: String) {
        self.tenantId = tenantId
        self.courseId = courseId
    }

    public static func < (lhs: CourseKey, rhs: CourseKey) -> Bool {
        (lhs.tenantId, lhs.courseId) < (rhs.tenantId, rhs.courseId)
    }

    /// `tenantId/courseId`, the Kafka key form.
    public var description: String { "\(tenantId)/\(courseId)" }
}
