import Contracts
import Segments

/// A user in a segment preview or member list: id, status and the profile fields admins recognise.
package struct SegmentMember: Encodable, Sendable {
    package var userId: String
    package var status: String?
    package var email: String?
    package var givenName: String?
    package var familyName: String?
    package var department: String?
    package var jobRole: String?
    package var location: String?

    package init(userId: String, raw: [String: JSONValue]) {
        self.userId = userId
        status = raw["status"]?.stringValue
        email = raw["email"]?.stringValue
        givenName = raw["givenName"]?.stringValue
        familyName = raw["familyName"]?.stringValue
        department = raw["department"]?.stringValue
        jobRole = raw["jobRole"]?.stringValue
        location = raw["location"]?.stringValue
    }
}
