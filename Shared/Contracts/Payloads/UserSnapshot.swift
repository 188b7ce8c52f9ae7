import Foundation

/// `lms.user.upserted`: the full profile as user-service holds it after a change.
///
/// Profile fields are `nil` when unknown or cleared, and always `nil` once the user is `erased`.
public struct UserSnapshot: EventPayload {
    public static let eventTypes: [EventType] = [.lmsUserUpserted]

    public var tenantId: String
    public var userId: String
    public var email: String?
    public var givenName: String?
    public var familyName: String?
    public var jobRole: String?
    public var department: String?
    public var location: String?
    public var hireDate: CalendarDate?
    public var managerId: String?
    public var attributes: [String: AttributeValue]
    public var status: UserStatus
    /// Profile fields this version changed (`attributes.<name>` for single attributes); all fields on creation.
    public var changedFields: [String]
    public var version: Int64
    public var updatedAt: Date

    public init(
        tenantId: String, userId: String, email: String? = nil, givenName: String? = nil, familyName: String? = nil,
        jobRole: String? = nil, department: String? = nil, location: String? = nil, hireDate: CalendarDate? = nil,
        managerId: String? = nil, attributes: [String: AttributeValue] = [:], status: UserStatus,
        changedFields: [String], version: Int64, updatedAt: Date
    ) {
        self.tenantId = tenantId
        self.userId = userId
        self.email = email
        self.givenName = givenName
        self.familyName = familyName
        self.jobRole = jobRole
        self.department = department
        self.location = location
        self.hireDate = hireDate
        self.managerId = managerId
        self.attributes = attributes
        self.status = status
        self.changedFields = changedFields
        self.version = version
        self.updatedAt = updatedAt
    }

    public var aggregateId: String { userId }

    public func validate() throws(PayloadValidationError) {
        try FieldCheck.tenantId(tenantId)
        try FieldCheck.identifier(userId, "userId")
        try FieldCheck.email(email)
        try FieldCheck.text(givenName, "givenName")
        try FieldCheck.text(familyName, "familyName")
        try FieldCheck.text(jobRole, "jobRole")
        try FieldCheck.text(department, "department")
        try FieldCheck.text(location, "location")
        try FieldCheck.identifier(managerId, "managerId")
        try FieldCheck.attributes(attributes)
        for (position, field) in changedFields.enumerated() {
            try FieldCheck.text(field, "changedFields[\(position)]", minLength: 1)
        }
        try FieldCheck.version(version)
    }
}
