/// A `user_history` row as the tests look at it.
struct HistoryRow: Sendable, Equatable {
    var action: String
    var changedFields: [String]
    var changes: String?
    var reason: String?
    var actor: String
    var origin: String
    var version: Int64
}
