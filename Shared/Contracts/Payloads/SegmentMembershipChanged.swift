import Foundation

/// `lms.segment.membership-changed`: a user entered (`member: true`) or left a segment, as
/// rules-worker evaluated it. Keyed by the user, so one learner's changes stay ordered. Consumers
/// keep a projection of memberships (enrollment-service restricts self-enrollment with it).
public struct SegmentMembershipChanged: EventPayload {
    public static let eventTypes: [EventType] = [.segmentMembershipChanged]

    public var tenantId: String
    public var segmentId: UUID
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

    private enum CodingKeys: String, CodingKey {
        case tenantId, segmentId, userId, member, version, changedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(segmentId.uuidString.lowercased(), forKey: .segmentId)
        try container.encode(userId, forKey: .userId)
        try container.encode(member, forKey: .member)
        try container.encode(version, forKey: .version)
        try container.encode(changedAt, forKey: .changedAt)
    }
}
