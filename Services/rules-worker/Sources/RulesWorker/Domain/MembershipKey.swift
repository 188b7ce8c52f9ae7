import Foundation

/// A (segment, user) of a tenant.
package struct MembershipKey: Hashable, Sendable {
    package var tenantId: String
    package var segmentId: UUID
    package var userId: String
}
