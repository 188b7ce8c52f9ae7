import Contracts

extension JSONValue {
    /// `self[key]` as a string (convenience for assertions).
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// `self[key]` as an integer.
    public func int(_ key: String) -> Int? { self[key]?.doubleValue.map { Int($0) } }

    /// The `items` of a list response.
    public var items: [JSONValue] { self["items"]?.arrayValue ?? [] }
}
