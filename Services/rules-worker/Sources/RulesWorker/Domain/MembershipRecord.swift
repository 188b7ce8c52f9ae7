import Foundation

/// Whether a user is in a segment, and how many times that changed.
package struct MembershipRecord: Hashable, Sendable {
    package var tenantId: String
    package var segmentId: UUID
    package var userId: String
    package var member: Bool
    package var version: Int64
}
