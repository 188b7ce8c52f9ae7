import Foundation

/// A custom user attribute value: a JSON string, number or boolean (never null, array or object).
public enum AttributeValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The scalar held by `json`; `nil` for null, arrays and objects.
    public init?(_ json: JSONValue) {
        switch json {
        case .string(let value): self = .string(value)
        case .number(let value): self = .number(value)
        case .bool(let value): self = .bool(value)
        case .null, .array, .object: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = AttributeValue(try JSONValue(from: decoder)) else {
            let null = container.decodeNil() ? ", not null" : ""
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "attribute values must be a string, number or boolean\(null)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        try JSONValue(self).encode(to: encoder)
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var doubleValue: Double? {
        if case .number(let value) = self { value } else { nil }
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The JSON text of the value (`"x"` quoted, `5`, `true`).
    public var description: String {
        JSONValue(self).description
    }
}

extension AttributeValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral
{
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }

    public init(floatLiteral value: Double) {
        self = .number(value)
    }

    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}
