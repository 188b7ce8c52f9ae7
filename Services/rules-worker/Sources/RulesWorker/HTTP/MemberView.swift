import Contracts
import Hummingbird
import Segments

/// A user in a segment preview or member list: id, status and the profile fields admins recognise.
struct MemberView: Encodable, Sendable {
    var userId: String
    var status: String?
    var email: String?
    var givenName: String?
    var familyName: String?
    var department: String?
    var jobRole: String?
    var location: String?

    init(userId: String, raw: [String: JSONValue]) {
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
