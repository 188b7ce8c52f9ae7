/// A (user, course) an admin took out of a rule enrollment by hand: rules do not enroll it again.
package struct ExclusionKey: Hashable, Sendable {
    package var tenantId: String
    package var userId: String
    package var courseId: String

    package init(tenantId: String, userId: String, courseId: String) {
        self.tenantId = tenantId
        self.userId = userId
        self.courseId = courseId
    }
}
