import Contracts

/// Rows cross the database boundary as JSON: writes pass a whole batch as one `jsonb` parameter
/// (`jsonb_to_recordset`, one multi-row statement whatever the batch size, nulls included), and
/// reads select `to_jsonb(row)::text`; single `jsonb` values (criteria, counters) are written with
/// ``text(_:)``. Instants travel as RFC 3339 at millisecond precision. The one rows⇄JSON helper.
public enum DatabaseJSON {
    /// The rows as one JSON array text, for `jsonb_to_recordset(\(text)::jsonb)`.
    public static func encode<Row: Encodable>(_ rows: [Row]) throws -> String {
        String(decoding: try LMSJSON.encode(rows), as: UTF8.self)
    }

    /// One value (criteria, counts, a profile's raw fields) as JSON text, for a `\(text)::jsonb` parameter.
    public static func text(_ value: some Encodable) throws -> String {
        String(decoding: try LMSJSON.encode(value), as: UTF8.self)
    }

    /// Decodes one row selected as `to_jsonb(...)::text`.
    public static func decode<Row: Decodable>(_ type: Row.Type, from text: String) throws -> Row {
        do {
            return try LMSJSON.decode(type, from: Array(text.utf8))
        } catch {
            throw DatabaseRowError(type: "\(Row.self)", message: error.description)
        }
    }
}

/// A row the database returned that does not decode: a schema/code mismatch, never user input.
public struct DatabaseRowError: Error, CustomStringConvertible {
    public var type: String
    public var message: String

    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }

    public var description: String { "undecodable \(type) row: \(message)" }
}
