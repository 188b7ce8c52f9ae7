import Contracts

/// The filters of `GET /v1/users`: exact matches on department, location and job role, and the
/// statuses to include (without a `status` filter: active and deactivated, not erased tombstones).
package struct UserListFilter: Hashable, Sendable {
    package var department: String?
    package var location: String?
    package var jobRole: String?
    package var statuses: [UserStatus] = [.active, .deactivated]
}
