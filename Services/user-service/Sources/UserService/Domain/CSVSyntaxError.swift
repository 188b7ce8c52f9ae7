/// A CSV file that cannot be read past `line` (an unterminated quote, text after a closing quote).
package struct CSVSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    package var line: Int
    package var message: String

    package init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    package var description: String { "line \(line): \(message)" }
}
