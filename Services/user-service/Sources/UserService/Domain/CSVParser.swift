/// Reads CSV (RFC 4180) from UTF-8 bytes: comma-separated fields, optionally quoted with `"`
/// (`""` inside quotes is one quote; quoted fields may contain commas and line breaks), records
/// ending in CRLF, LF or CR, an optional UTF-8 byte order mark. Blank lines are skipped.
/// A quote inside an unquoted field is kept as text.
package enum CSVParser {
    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    package static func parse(_ bytes: [UInt8]) throws(CSVSyntaxError) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var recordLine = 1
        let end = bytes.count

        func finishRecord() {
            // A blank line is a single empty unquoted field: not a record.
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(CSVRecord(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < end {
            if bytes[index] == quote {
                let openedOn = line
                index += 1
                var text: [UInt8] = []
                var segment = index
                while true {
                    guard index < end else { throw CSVSyntaxError(line: openedOn, message: "a quoted field is not closed") }
                    let byte = bytes[index]
                    if byte == quote {
                        text.append(contentsOf: bytes[segment..<index])
                        if index + 1 < end && bytes[index + 1] == quote {
                            text.append(quote)
                            index += 2
                            segment = index
                            continue
                        }
                        index += 1
                        break
                    }
                    if byte == lf || (byte == cr && !(index + 1 < end && bytes[index + 1] == lf)) { line += 1 }
                    index += 1
                }
                fields.append(String(decoding: text, as: UTF8.self))
                if index < end && bytes[index] != comma && bytes[index] != cr && bytes[index] != lf {
                    throw CSVSyntaxError(line: line, message: "unexpected text after a closing quote")
                }
            } else {
                let start = index
                while index < end, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf { index += 1 }
                fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            guard index < end else { break }
            if bytes[index] == comma {
                index += 1
                if index == end { fields.append("") }
                continue
            }
            if bytes[index] == cr && index + 1 < end && bytes[index + 1] == lf { index += 1 }
            index += 1
            line += 1
            finishRecord()
            recordLine = line
        }
        if !fields.isEmpty { finishRecord() }
        return records
    }
}
