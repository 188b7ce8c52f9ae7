import Foundation

/// `lms.segment.membership-changed`: a user entered (`member: true`) or left a segment, as
/// rules-worker evaluated it. Keyed by the user, so one learner's changes stay ordered. Consumers
/// keep a projection of memberships (enrollment-service restricts self-enrollment with it).
public struct SegmentMembershipChanged: EventPayload {
    public static let eventTypes: [EventType] = [.segmentMembershipChanged]

    public var tenantId: String
    @LowercaseUUID public var segmentId: UUID
    public var userId: String
    public var member: Bool
    /// Increases with every change of this (segment, user) pair.
    public var version: Int64
    public var changedAt: Date

    public init(tenantId: String, segmentId: UUID, userId: String, member: Bool, version: Int64, changedAt: Date) {
        self.tenantId = tenantId
        self.segmentId = segmentId
        self.userId = userId
        self.member = member
        self.version = version
        self.changedAt = changedAt
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.version(version)
    }
}
