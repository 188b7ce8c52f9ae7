import Foundation

extension String {
    /// The text as a quoted SQL identifier (`"name"`, inner quotes doubled), for statements that
    /// name a schema or table and so cannot bind it.
    var quotedIdentifier: String {
        "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
