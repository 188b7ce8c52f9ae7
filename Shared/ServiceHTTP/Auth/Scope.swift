/// What a `service` token may do, from its OAuth `scope` claim (or `scp`).
///
/// Scopes narrow the `service` role: a service caller reaches only the routes its scopes grant.
/// They grant nothing to the other roles. Unknown scope names in a token are ignored.
public enum Scope: String, Sendable, Codable, CaseIterable, Hashable {
    /// User upserts in user-service (`POST /v1/users`, `PUT` and `PATCH /v1/users/{id}`).
    case usersWrite = "users:write"
    /// Learning activity in progress-service (`POST /v1/activity`, `GET /v1/activity/unattributed`).
    case activityWrite = "activity:write"
    /// Enrollment changes in enrollment-service (enroll, bulk, withdraw, suspend, reactivate, `PATCH`).
    case enrollmentsWrite = "enrollments:write"
    /// Reading enrollments and progress.
    case enrollmentsRead = "enrollments:read"
    /// Rebuilding report-service's read model.
    case reportsRebuild = "reports:rebuild"
}
