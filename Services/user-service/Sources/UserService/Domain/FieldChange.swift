import Contracts

/// One changed field of a history entry: its name (`attributes.<name>` for attributes) and values.
struct FieldChange: Hashable, Sendable {
    var field: String
    var from: JSONValue?
    var to: JSONValue?
}
