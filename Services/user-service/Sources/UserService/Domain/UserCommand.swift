import Contracts

/// A change requested of one user, by a platform event, an admin or an import row.
package enum UserCommand: Sendable {
    /// Creates the user; fails when the `userId` is already taken (`POST /v1/users`).
    case create(UserProfile)
    /// Creates the user or replaces its whole profile (`platform.user.created`, `PUT`).
    case upsert(UserProfile)
    /// Applies a JSON Merge Patch to a known user's profile (`platform.user.updated`, `PATCH`).
    case patch([String: JSONValue])
    /// Patches a known user, or creates one from the patch alone (a CSV import row).
    case upsertPatch([String: JSONValue])
    case deactivate(reason: String?)
    case reactivate(reason: String?)
    /// Wipes the profile and keeps a tombstone. With `tombstoneIfUnknown` an unknown user gets a
    /// tombstone too, so that a late `created` cannot bring the erased person's data back.
    case erase(reason: String?, tombstoneIfUnknown: Bool)
}
