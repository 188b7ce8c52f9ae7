import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Reads rows selected as `to_jsonb(...)::text` into the domain types' synthesised `Decodable`:
/// the snake_case columns are their camelCase properties (`rule_id` → `ruleId`); columns the type
/// does not have (`swept_day`, `in_effect`) are ignored.
enum RowJSON {
    private static let decoder: JSONDecoder = {
        let decoder = LMSJSON.decoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    static func decode<Row: Decodable>(_ type: Row.Type, from text: String) throws -> Row {
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw DatabaseRowError(type: "\(Row.self)", message: "\(error)")
        }
    }

    /// Every row of a query whose only column is the `to_jsonb(...)::text`.
    static func all<Row: Decodable>(_ type: Row.Type, in rows: PostgresRowSequence) async throws -> [Row] {
        var result: [Row] = []
        for try await text in rows.decode(String.self) { result.append(try decode(type, from: text)) }
        return result
    }
}
