import Contracts
import Foundation

/// Values written as `jsonb` text. (Rows are read with the shared `DatabaseJSON`, which has no
/// single-value encoder yet.)
enum JSONColumn {
    /// JSON text for a `$n::jsonb` parameter.
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try LMSJSON.encode(value), as: UTF8.self)
    }
}
