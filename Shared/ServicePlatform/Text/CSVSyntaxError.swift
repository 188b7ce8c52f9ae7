/// A record of a CSV file that cannot be read, on `line`: a quoted field never closed, or text after
/// a closing quote.
public struct CSVSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
