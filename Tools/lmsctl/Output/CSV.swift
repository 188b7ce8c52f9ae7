import Foundation

/// RFC 4180 CSV writing: fields with a comma, quote, CR or LF are quoted, quotes doubled.
enum CSV {
    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Records joined with `\n`, ending with one.
    static func encode(_ records: [[String]]) -> String {
        records.map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
