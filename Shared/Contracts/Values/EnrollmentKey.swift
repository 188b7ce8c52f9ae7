import Foundation

/// One enrollment of one tenant (an enrollment id is no key across tenants).
public struct EnrollmentKey: Hashable, Sendable, Comparable {
    public var tenantId: String
    public var enrollmentId: UUID

    public init(tenantId: String, enrollmentId: UUID) {
        self.tenantId = tenantId
        self.enrollmentId = enrollmentId
    }

    /// By tenant, then by id in byte order (the order of the ids' text and of PostgreSQL's `uuid`).
    public static func < (lhs: EnrollmentKey, rhs: EnrollmentKey) -> Bool {
        (lhs.tenantId, lhs.enrollmentId) < (rhs.tenantId, rhs.enrollmentId)
    }
}
