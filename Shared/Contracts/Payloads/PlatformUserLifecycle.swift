/// `platform.user.deactivated`, `platform.user.reactivated` and `platform.user.erased`.
public struct PlatformUserLifecycle: EventPayload {
    public static let eventTypes: [EventType] = [.userDeactivated, .userReactivated, .userErased]

    public var tenantId: String
    public var userId: String
    public var reason: String?
    public var sourceVersion: Int64?

    public init(tenantId: String, userId: String, reason: String? = nil, sourceVersion: Int64? = nil) {
        self.tenantId = tenantId
        self.userId = userId
        self.reason = reason
        self.sourceVersion = sourceVersion
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.text(reason, "reason", maxLength: FieldCheck.maximumReasonLength)
        try FieldCheck.version(sourceVersion, "sourceVersion")
    }
}
