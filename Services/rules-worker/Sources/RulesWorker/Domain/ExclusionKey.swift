/// A (user, course) an admin took out of a rule enrollment by hand: rules do not enroll it again.
struct ExclusionKey: Hashable, Sendable {
    var tenantId: String
    var userId: String
    var courseId: String
}
