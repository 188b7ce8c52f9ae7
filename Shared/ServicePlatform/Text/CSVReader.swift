/// Reads CSV (RFC 4180) from UTF-8 bytes: comma-separated fields, optionally quoted with `"`
/// (`""` inside quotes is one quote; quoted fields may contain commas and line breaks), records
/// ending in CRLF, LF or a lone CR, an optional UTF-8 byte order mark. Blank lines are skipped.
/// A quote inside an unquoted field is kept as text.
///
/// A record that breaks the syntax is an error of its own: text after a closing quote spoils its
/// record up to the next line end outside quotes, and the records after it are read as usual; a
/// quoted field that never closes takes the rest of the file with it.
///
/// Sizes are the caller's: the services cap the body and its rows while it arrives
/// (`collectedBody(limit:maximumRows:counting: CSVRecordCounter())`), before anything is read here.
public enum CSVReader {
    /// Every record in order, each read or refused on its own.
    public static func rows(_ bytes: [UInt8]) -> [Result<CSVRecord, CSVSyntaxError>] {
        var scanner = Scanner(bytes)
        var rows: [Result<CSVRecord, CSVSyntaxError>] = []
        while let row = scanner.next() { rows.append(row) }
        return rows
    }

    /// Every record, or the first syntax error.
    public static func records(_ bytes: [UInt8]) throws(CSVSyntaxError) -> [CSVRecord] {
        var scanner = Scanner(bytes)
        var records: [CSVRecord] = []
        while let row = scanner.next() { records.append(try row.get()) }
        return records
    }

    private struct Scanner {
        static let quote = UInt8(ascii: "\"")
        static let comma = UInt8(ascii: ",")
        static let cr = UInt8(ascii: "\r")
        static let lf = UInt8(ascii: "\n")

        let bytes: [UInt8]
        var index: Int
        /// The line `index` is on (1-based).
        var line = 1

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            self.index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        /// The next record that is not a blank line, or nil at the end.
        mutating func next() -> Result<CSVRecord, CSVSyntaxError>? {
            while index < bytes.count {
                let start = line
                switch record() {
                case .success(let fields):
                    // A blank line is a single empty unquoted field: not a record.
                    if fields.count == 1 && fields[0].isEmpty { continue }
                    return .success(CSVRecord(line: start, fields: fields))
                case .failure(let error):
                    return .failure(error)
                }
            }
            return nil
        }

        /// Reads one record and its line end.
        private mutating func record() -> Result<[String], CSVSyntaxError> {
            var fields: [String] = []
            while true {
                if index < bytes.count && bytes[index] == Self.quote {
                    let openedOn = line
                    guard let text = quoted() else {
                        return .failure(CSVSyntaxError(line: openedOn, message: "a quoted field is not closed"))
                    }
                    fields.append(text)
                    if index < bytes.count && ![Self.comma, Self.cr, Self.lf].contains(bytes[index]) {
                        let error = CSVSyntaxError(line: line, message: "unexpected text after a closing quote")
                        skipRestOfRecord()
                        return .failure(error)
                    }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != Self.comma, bytes[index] != Self.cr, bytes[index] != Self.lf { index += 1 }
                    fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
                }
                guard index < bytes.count else { return .success(fields) }
                if bytes[index] == Self.comma {
                    index += 1
                    if index == bytes.count { return .success(fields + [""]) }
                    continue
                }
                endLine()
                return .success(fields)
            }
        }

        /// Reads a quoted field from its opening quote past its closing one; nil when it never closes.
        private mutating func quoted() -> String? {
            index += 1
            var text: [UInt8] = []
            var segment = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.quote {
                    text.append(contentsOf: bytes[segment..<index])
                    if index + 1 < bytes.count && bytes[index + 1] == Self.quote {
                        text.append(Self.quote)
                        index += 2
                        segment = index
                        continue
                    }
                    index += 1
                    return String(decoding: text, as: UTF8.self)
                }
                if byte == Self.lf || (byte == Self.cr && !(index + 1 < bytes.count && bytes[index + 1] == Self.lf)) { line += 1 }
                index += 1
            }
            return nil
        }

        /// Steps over a line end (CRLF, LF or CR) at `index`.
        private mutating func endLine() {
            if bytes[index] == Self.cr && index + 1 < bytes.count && bytes[index + 1] == Self.lf { index += 1 }
            index += 1
            line += 1
        }

        /// Skips a spoiled record up to and past the next line end outside quotes.
        private mutating func skipRestOfRecord() {
            var inQuotes = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == Self.quote {
                    inQuotes.toggle()
                } else if byte == Self.cr || byte == Self.lf {
                    if !inQuotes {
                        endLine()
                        return
                    }
                    if byte == Self.lf || !(index + 1 < bytes.count && bytes[index + 1] == Self.lf) { line += 1 }
                }
                index += 1
            }
        }
    }
}
