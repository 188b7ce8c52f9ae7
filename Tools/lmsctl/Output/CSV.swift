import ServiceHTTP

/// RFC 4180 CSV writing with the services' rules (``CSVFormat/field(_:)``): fields with a comma,
/// quote, CR or LF are quoted, quotes doubled, and a field a spreadsheet would run as a formula
/// (leading `=`, `+`, `-`, `@`, TAB or CR, unless a plain number) gets a leading `'`.
enum CSV {
    static func escape(_ field: String) -> String {
        CSVFormat.field(field)
    }

    /// Records joined with `\n`, ending with one.
    static func encode(_ records: [[String]]) -> String {
        records.map { $0.map(escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
