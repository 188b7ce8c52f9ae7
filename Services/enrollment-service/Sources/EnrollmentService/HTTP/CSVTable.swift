/// A CSV document (RFC 4180): comma-separated fields, optionally double-quoted (`""` inside quotes
/// is a quote), LF or CRLF line ends, an optional UTF-8 byte order mark. Blank lines are skipped.
package struct CSVTable: Sendable {
    /// The records; each carries its 1-based line number in the document.
    package var records: [(line: Int, fields: [String])]

    package enum ParseError: Error, Equatable {
        /// A quoted field that never closes, starting on `line`.
        case unterminatedQuote(line: Int)
    }

    package init(parsing bytes: [UInt8]) throws(ParseError) {
        let quote = UInt8(ascii: "\"")
        let comma = UInt8(ascii: ",")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case quote where field.isEmpty:
                let startLine = line
                var closed = false
                while index < bytes.count {
                    let inner = bytes[index]
                    index += 1
                    if inner == quote {
                        if index < bytes.count && bytes[index] == quote {
                            field.append(quote)
                            index += 1
                        } else {
                            closed = true
                            break
                        }
                    } else {
                        if inner == newline { line += 1 }
                        field.append(inner)
                    }
                }
                guard closed else { throw .unterminatedQuote(line: startLine) }
            case comma:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case carriageReturn:
                continue
            case newline:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            default:
                field.append(byte)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(String(decoding: field, as: UTF8.self))
            records.append((recordLine, fields))
        }
        self.records = records
    }
}
