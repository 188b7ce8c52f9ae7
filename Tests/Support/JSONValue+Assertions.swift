import Contracts

extension JSONValue {
    /// `self[key]` as a string (convenience for assertions).
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// `self[key]` as an integer.
    public func int(_ key: String) -> Int? { self[key]?.doubleValue.map { Int($0) } }

    /// `self[key]` as a number.
    public func double(_ key: String) -> Double? { self[key]?.doubleValue }

    /// `self[key]` as a boolean.
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// The `items` of a list response.
    public var items: [JSONValue] { self["items"]?.arrayValue ?? [] }
}
