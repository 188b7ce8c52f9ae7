import Contracts

/// A leaf of the criteria tree: `{field, op, value}` plus the optional `ignoreCase`.
public struct Condition: Hashable, Sendable {
    public var field: SegmentField
    public var op: SegmentOperator
    /// The operand as written; `nil` for `exists` and `notExists`.
    public var value: JSONValue?
    /// Compare strings ignoring case (default: case-sensitive).
    public var ignoreCase: Bool

    /// The canonical JSON form.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["field": .string(field.path), "op": .string(op.rawValue)]
        if let value { members["value"] = value }
        if ignoreCase { members["ignoreCase"] = true }
        return .object(members)
    }
}
