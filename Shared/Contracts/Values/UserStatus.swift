/// Lifecycle state of a user in `lms.user.upserted`; `erased` snapshots carry no personal data.
public enum UserStatus: String, CaseIterable, Hashable, Sendable, Codable {
    case active
    case deactivated
    case erased
}
