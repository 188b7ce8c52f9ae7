import Foundation

/// A (segment, user) of a tenant.
struct MembershipKey: Hashable, Sendable {
    var tenantId: String
    var segmentId: UUID
    var userId: String
}
