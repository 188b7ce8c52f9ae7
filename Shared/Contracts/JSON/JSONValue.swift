import Foundation

/// Any JSON value, including `null`. Numbers are `Double` (integers up to 2^53 are exact).
///
/// Used for JSON Merge Patches (`PlatformUserUpdated.changes`), rule explanations and schema validation.
public enum JSONValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON document.
    public init(parsing bytes: [UInt8]) throws(PayloadDecodingError) {
        do {
            self = try JSONParser.parse(bytes)
        } catch {
            throw PayloadDecodingError(field: "", message: error.description)
        }
    }

    /// Parses a JSON document that must be an object, e.g. a free-form `jsonb` column read as text.
    /// Several times faster than decoding `[String: JSONValue]` with `JSONDecoder`, which tries every
    /// JSON type in turn for each value.
    public static func object(parsing text: String) throws(PayloadDecodingError) -> [String: JSONValue] {
        guard case .object(let members) = try JSONValue(parsing: Array(text.utf8)) else {
            throw PayloadDecodingError(field: "", message: "expected a JSON object")
        }
        return members
    }

    public init(_ attribute: AttributeValue) {
        switch attribute {
        case .string(let value): self = .string(value)
        case .number(let value): self = .number(value)
        case .bool(let value): self = .bool(value)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null:
            try container.encodeNil()
        case .bool(let value):
            try container.encode(value)
        case .number(let value):
            // Integral values are written as integers (`5`, not `5.0` or `5e+16`).
            if value.rounded() == value, abs(value) < 9.2e18, let integer = Int64(exactly: value) {
                try container.encode(integer)
            } else {
                try container.encode(value)
            }
        case .string(let value):
            try container.encode(value)
        case .array(let value):
            try container.encode(value)
        case .object(let value):
            try container.encode(value)
        }
    }

    /// Compact JSON text with sorted keys.
    public var description: String {
        guard let bytes = try? LMSJSON.encode(self) else { return "<unencodable JSON>" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The member `key` of an object; `nil` for absent members and non-objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
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

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The JSON type name as JSON Schema spells it (`null`, `boolean`, `number`, `string`, `array`, `object`).
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Applies `patch` as a JSON Merge Patch (RFC 7396) to this value and returns the result.
    ///
    /// A non-object patch replaces the target; in an object patch absent members stay unchanged,
    /// `null` members remove the target member, and object members merge recursively.
    public func mergePatch(_ patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let members) = self {
            result = members
        } else {
            result = [:]
        }
        for (key, patchValue) in patchMembers {
            if case .null = patchValue {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).mergePatch(patchValue)
            }
        }
        return .object(result)
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) {
        self = .null
    }

    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    public init(integerLiteral value: Int) {
        self = .number(Double(value))
    }

    public init(floatLiteral value: Double) {
        self = .number(value)
    }

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
