import Contracts

/// A compliance report key: `<tenantId>/<courseId>/<dimension>/<value>`.
package struct ComplianceKey: Sendable, Hashable {
    package var tenantId: String
    package var courseId: String
    package var dimension: ComplianceDimension
    package var value: String

    package init(tenantId: String, courseId: String, dimension: ComplianceDimension, value: String) {
        self.tenantId = tenantId
        self.courseId = courseId
        self.dimension = dimension
        self.value = value
    }
}
