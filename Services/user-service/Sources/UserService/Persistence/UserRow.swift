import Contracts
import Foundation

/// A `users` row as ``UserRepository`` writes it: one element of the `jsonb` array that carries
/// all rows of a multi-row upsert (`jsonb_to_recordset`); `nil` members are absent, so `NULL`.
struct UserRow: Encodable, Sendable {
    var tenantId: String
    var userId: String
    var email: String?
    var givenName: String?
    var familyName: String?
    var jobRole: String?
    var department: String?
    var location: String?
    var hireDate: CalendarDate?
    var managerId: String?
    var attributes: [String: AttributeValue]
    var status: UserStatus
    var version: Int64
    var sourceVersion: Int64?
    var createdAt: Date
    var updatedAt: Date
    /// The user has no row yet: inserted, not updated.
    var isNew: Bool

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id"
        case userId = "user_id"
        case email
        case givenName = "given_name"
        case familyName = "family_name"
        case jobRole = "job_role"
        case department, location
        case hireDate = "hire_date"
        case managerId = "manager_id"
        case attributes, status, version
        case sourceVersion = "source_version"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case isNew = "is_new"
    }

    init(_ record: UserRecord, isNew: Bool) {
        let profile = record.profile
        tenantId = record.key.tenantId
        userId = record.key.userId
        email = profile?.email
        givenName = profile?.givenName
        familyName = profile?.familyName
        jobRole = profile?.jobRole
        department = profile?.department
        location = profile?.location
        hireDate = profile?.hireDate
        managerId = profile?.managerId
        attributes = profile?.attributes ?? [:]
        status = record.status
        version = record.version
        sourceVersion = record.sourceVersion
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        self.isNew = isNew
    }
}
