import Foundation

/// Whether a user is in a segment, and how many times that changed.
struct MembershipRecord: Hashable, Sendable {
    var tenantId: String
    var segmentId: UUID
    var userId: String
    var member: Bool
    var version: Int64
}
