import Contracts
import Foundation

/// Rows read as JSON (`to_jsonb(t)::text`, `raw::text`) and values written as `jsonb` text.
package enum JSONColumn {
    /// Decodes a row or column read as JSON text.
    package static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try LMSJSON.decode(type, from: Array(text.utf8))
    }

    /// JSON text for a `$n::jsonb` parameter.
    package static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try LMSJSON.encode(value), as: UTF8.self)
    }
}
