/// A user in a segment preview or member list: id, status and the profile fields admins recognise,
/// read from the projection's `raw` profile (field path → value).
package struct SegmentMember: Codable, Sendable {
    package var userId: String
    package var status: String?
    package var email: String?
    package var givenName: String?
    package var familyName: String?
    package var department: String?
    package var jobRole: String?
    package var location: String?
}
