import Contracts

/// A `user_history` row as the tests look at it (decoded from `row_to_json`).
struct HistoryRow: Decodable, Sendable, Equatable {
    var action: String
    var changedFields: [String]
    var changes: JSONValue?
    var reason: String?
    var actor: String
    var origin: String
    var version: Int64

    enum CodingKeys: String, CodingKey {
        case action, changes, reason, actor, origin, version
        case changedFields = "changed_fields"
    }
}
