/// A course-summary report key: `<tenantId>/<courseId>`.
package struct CourseKey: Sendable, Hashable {
    package var tenantId: String
    package var courseId: String

    package init(tenantId: String, courseId: String) {
        self.tenantId = tenantId
        self.courseId = courseId
    }
}
