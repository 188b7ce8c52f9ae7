/// `platform.user.created`: a person appeared in the HR system or identity provider.
public struct PlatformUserCreated: EventPayload {
    public static let eventTypes: [EventType] = [.userCreated]

    public var tenantId: String
    public var userId: String
    public var email: String
    public var givenName: String
    public var familyName: String
    public var jobRole: String?
    public var department: String?
    public var location: String?
    public var hireDate: CalendarDate?
    public var managerId: String?
    public var attributes: [String: AttributeValue]?
    /// Per-user increasing version from the source system; lets user-service drop stale events.
    public var sourceVersion: Int64?

    public init(
        tenantId: String, userId: String, email: String, givenName: String, familyName: String,
        jobRole: String? = nil, department: String? = nil, location: String? = nil, hireDate: CalendarDate? = nil,
        managerId: String? = nil, attributes: [String: AttributeValue]? = nil, sourceVersion: Int64? = nil
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
        self.sourceVersion = sourceVersion
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
        try FieldCheck.version(sourceVersion, "sourceVersion")
    }
}
