import Contracts

/// One data row of an import file as a merge patch of its user's profile.
///
/// `errors` holds what is wrong with the row by itself (no `userId`, wrong number of cells, an empty
/// required cell); such a row is rejected without touching the directory.
package struct ImportRow: Hashable, Sendable {
    /// 1-based position among the data rows (the header row is not counted).
    package var number: Int
    package var userId: String?
    package var patch: [String: JSONValue]
    package var errors: [FieldError]
}
