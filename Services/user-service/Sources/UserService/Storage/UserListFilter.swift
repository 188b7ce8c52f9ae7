import Contracts

/// The filters of `GET /v1/users`: exact matches on department, location and job role, and the
/// statuses to include (without a `status` filter: active and deactivated, not erased tombstones).
struct UserListFilter: Hashable, Sendable {
    var department: String?
    var location: String?
    var jobRole: String?
    var statuses: [UserStatus] = [.active, .deactivated]
}
