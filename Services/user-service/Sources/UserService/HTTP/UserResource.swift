import Contracts
import Foundation
import Hummingbird

/// A user as the HTTP API returns it: the profile (absent once erased), status and versions.
struct UserResource: ResponseEncodable, Codable, Hashable, Sendable {
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

    init(_ record: UserRecord) {
        tenantId = record.key.tenantId
        userId = record.key.userId
        email = record.profile?.email
        givenName = record.profile?.givenName
        familyName = record.profile?.familyName
        jobRole = record.profile?.jobRole
        department = record.profile?.department
        location = record.profile?.location
        hireDate = record.profile?.hireDate
        managerId = record.profile?.managerId
        attributes = record.profile?.attributes ?? [:]
        status = record.status
        version = record.version
        sourceVersion = record.sourceVersion
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
