import Foundation

/// `lms.user.deactivated`, `lms.user.reactivated` and `lms.user.erased`.
public struct UserLifecycleEvent: EventPayload {
    public static let eventTypes: [EventType] = [.lmsUserDeactivated, .lmsUserReactivated, .lmsUserErased]

    public var tenantId: String
    public var userId: String
    public var reason: String?
    public var version: Int64
    public var occurredAt: Date

    public init(tenantId: String, userId: String, reason: String? = nil, version: Int64, occurredAt: Date) {
        self.tenantId = tenantId
        self.userId = userId
        self.reason = reason
        self.version = version
        self.occurredAt = occurredAt
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.text(reason, "reason", maxLength: FieldCheck.maximumReasonLength)
        try FieldCheck.version(version)
    }
}
