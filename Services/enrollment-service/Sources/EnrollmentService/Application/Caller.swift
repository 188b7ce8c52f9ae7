/// Who calls a use case, as far as access to a course's enrollments goes (built from the token at
/// the HTTP edge, so that nothing below it needs the token's types).
package struct Caller: Sendable {
    package var tenantId: String
    package var userId: String
    /// An admin, or a service whose token carries the route's scope: every course of the tenant.
    package var managesEveryCourse: Bool
    /// Holds the instructor role: it manages the courses it teaches.
    package var isInstructor: Bool
}
