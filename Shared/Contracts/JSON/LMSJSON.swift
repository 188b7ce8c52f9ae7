import Foundation

/// The JSON coders every service uses for payloads, so output is identical everywhere.
///
/// Instants encode as RFC 3339 UTC with milliseconds and decode from RFC 3339 with or without
/// fractional seconds and with any offset; keys are sorted; `/` is not escaped.
public enum LMSJSON {
    /// A new encoder configured like the shared one (callers may adjust their copy).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }

    /// A new decoder configured like the shared one.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an RFC 3339 date-time, found \"\(text)\"")
            }
            return date
        }
        return decoder
    }

    private static let sharedEncoder = encoder()
    private static let sharedDecoder = decoder()

    /// Encodes `value` with the shared encoder.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        [UInt8](try sharedEncoder.encode(value))
    }

    /// Decodes `type` from JSON bytes; every failure becomes a `PayloadDecodingError` naming the field.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(PayloadDecodingError) -> T {
        let firstError: PayloadDecodingError
        do {
            return try sharedDecoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            firstError = PayloadDecodingError(error)
        } catch {
            firstError = PayloadDecodingError(field: "", message: "\(error)")
        }
        guard firstError.field.isEmpty else { throw firstError }
        throw diagnose(type, bytes, fallback: firstError)
    }

    /// Foundation reports some failures (e.g. `1.5` for an `Int` on Linux) as "not valid JSON" without a
    /// path. Re-parsing and re-decoding through `JSONValueDecoder` names the offending field instead.
    private static func diagnose<T: Decodable>(
        _ type: T.Type, _ bytes: [UInt8], fallback: PayloadDecodingError
    ) -> PayloadDecodingError {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(bytes)
        } catch {
            return PayloadDecodingError(field: "", message: error.description)
        }
        do {
            _ = try JSONValueDecoder.decode(T.self, from: tree)
        } catch let error as DecodingError {
            return PayloadDecodingError(error)
        } catch {
            return PayloadDecodingError(field: "", message: "\(error)")
        }
        return fallback
    }
}
