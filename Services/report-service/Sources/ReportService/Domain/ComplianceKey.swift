import Contracts

/// A compliance report key: `<tenantId>/<courseId>/<dimension>/<value>`.
package struct ComplianceKey: Sendable, Hashable {
    package var tenantId: String
    package var courseId: String
    package var dimension: ComplianceDimension
    package var value: String
}
