import ServiceHTTP

/// A plain-text table with aligned columns: a header row, a dashed rule, then the rows.
///
/// Columns whose cells are all numbers are right-aligned; every other column is left-aligned.
/// Widths count characters (grapheme clusters), which is right for the Latin, Cyrillic and Greek
/// names this platform mostly holds; wide East Asian characters take two terminal cells and will
/// shift that row slightly.
struct TextTable: Sendable, Equatable {
    var columns: [String]
    var rows: [[String]] = []

    mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines joined by `\n` (no trailing newline). Missing cells render empty; line
    /// breaks and tabs inside cells become spaces so one row stays on one line, and other control
    /// characters become U+FFFD (``TerminalText``).
    func render(separator: String = "  ") -> String {
        let cells = ([columns] + rows).map { row in
            (0..<columns.count).map { index in index < row.count ? Self.singleLine(row[index]) : "" }
        }
        let widths = (0..<columns.count).map { index in cells.map { $0[index].count }.max() ?? 0 }
        let numeric = (0..<columns.count).map { index in
            !rows.isEmpty && rows.allSatisfy { row in index < row.count && (row[index].isEmpty || Self.isNumber(row[index])) }
                && rows.contains { index < $0.count && !$0[index].isEmpty }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                let isLast = index == row.count - 1
                if numeric[index] {
                    parts.append(padding + cell)
                } else {
                    parts.append(isLast ? cell : cell + padding)
                }
            }
            return parts.joined(separator: separator)
        }
        var lines = [line(cells[0])]
        lines.append(widths.map { String(repeating: "-", count: max($0, 1)) }.joined(separator: separator))
        lines += cells.dropFirst().map(line)
        return lines.joined(separator: "\n")
    }

    /// The same rows as RFC 4180 CSV with the header row, fields escaped by the services' rules
    /// (``CSVFormat/field(_:)``, which also defuses spreadsheet formulas).
    func csv() -> String {
        ([columns] + rows).map { $0.map(CSVFormat.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func singleLine(_ text: String) -> String {
        var text = text
        if text.contains(where: { $0.isNewline || $0 == "\t" }) {
            text = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        }
        return TerminalText.sanitized(text, keeping: [])
    }

    static func isNumber(_ text: String) -> Bool {
        var text = Substring(text)
        if text.hasSuffix("%") { text = text.dropLast() }
        if text.hasPrefix("-") { text = text.dropFirst() }
        guard !text.isEmpty else { return false }
        var seenDot = false
        for character in text {
            if character == "." || character == "," {
                if character == "." {
                    if seenDot { return false }
                    seenDot = true
                }
            } else if !character.isASCII || !character.isNumber {
                return false
            }
        }
        return true
    }
}
