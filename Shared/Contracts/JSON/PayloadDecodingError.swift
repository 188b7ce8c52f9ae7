import Foundation

/// A payload that could not be decoded (or failed `validate()` in `CloudEvent.decodePayload`).
///
/// `field` is the dotted coding path of the offending value (`changes.email`, `conditions[0].op`,
/// `statementId`); it is empty when the document itself is not JSON.
public struct PayloadDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// Maps a `DecodingError` to a field path and a human-readable message.
    public init(_ error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            let path = Self.path(context.codingPath)
            self.init(field: path, message: "expected \(Self.describe(type))\(Self.found(in: context.debugDescription))")
        case .valueNotFound(let type, let context):
            self.init(field: Self.path(context.codingPath), message: "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            let message =
                context.codingPath.isEmpty
                ? "malformed JSON: \(context.debugDescription)" : context.debugDescription
            self.init(field: Self.path(context.codingPath), message: message)
        @unknown default:
            self.init(field: "", message: "\(error)")
        }
    }

    public var description: String {
        field.isEmpty ? message : "\(field): \(message)"
    }

    /// `a.b[0].c` from a coding path; array positions render as `[n]`.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let position = key.intValue, key.stringValue == "Index \(position)" || key is IndexKey {
                result += "[\(position)]"
            } else {
                if !result.isEmpty { result += "." }
                result += key.stringValue
            }
        }
        return result
    }

    /// `", found a string"` from Foundation's "Expected to decode Int but found a string instead."
    private static func found(in debugDescription: String) -> String {
        guard let start = debugDescription.range(of: "but found ") else { return "" }
        var rest = debugDescription[start.upperBound...]
        if let end = rest.range(of: " instead") { rest = rest[..<end.lowerBound] }
        return ", found \(rest)"
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Dictionary")
                ? "an object"
                : String(describing: type).hasPrefix("Array") ? "an array" : "a value of type \(type)"
        }
    }
}

/// The coding key of an array element in `JSONValueDecoder`.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) {
        intValue = index
    }

    init?(stringValue: String) {
        nil
    }

    init?(intValue: Int) {
        self.intValue = intValue
    }
}
