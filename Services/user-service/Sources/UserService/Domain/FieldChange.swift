import Contracts

/// One changed field of a history entry: its name (`attributes.<name>` for attributes) and values.
package struct FieldChange: Hashable, Sendable {
    package var field: String
    package var from: JSONValue?
    package var to: JSONValue?

    package init(field: String, from: JSONValue?, to: JSONValue?) {
        self.field = field
        self.from = from
        self.to = to
    }
}
