/// A CSV file that cannot be read past `line` (an unterminated quote, text after a closing quote).
struct CSVSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    var line: Int
    var message: String

    var description: String { "line \(line): \(message)" }
}
