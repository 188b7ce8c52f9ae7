import Contracts
import Foundation
import Hummingbird

/// A user as the HTTP API returns it: the profile (absent once erased), status and versions.
package struct UserResource: ResponseEncodable, Codable, Hashable, Sendable {
    package var tenantId: String
    package var userId: String
    package var email: String?
    package var givenName: String?
    package var familyName: String?
    package var jobRole: String?
    package var department: String?
    package var location: String?
    package var hireDate: CalendarDate?
    package var managerId: String?
    package var attributes: [String: AttributeValue]
    package var status: UserStatus
    package var version: Int64
    package var sourceVersion: Int64?
    package var createdAt: Date
    package var updatedAt: Date

    package init(_ record: UserRecord) {
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
