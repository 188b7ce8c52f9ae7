import Logging
import PostgresNIO
import ServicePlatform

extension PostgresConnection {
    /// The rows of a query selecting one `to_jsonb(...)::text` column, decoded as `Row`.
    func jsonRows<Row: Decodable>(_ type: Row.Type, _ query: PostgresQuery, logger: Logger) async throws -> [Row] {
        var result: [Row] = []
        for try await text in try await self.query(query, logger: logger).decode(String.self) {
            result.append(try DatabaseJSON.decode(Row.self, from: text))
        }
        return result
    }
}
