/// A failure lmsctl reports itself: the lines to print on standard error and the exit status.
struct CLIError: Error, Sendable, CustomStringConvertible {
    var lines: [String]
    var status: ExitStatus

    init(_ message: String, status: ExitStatus = .failure) {
        self.lines = [message]
        self.status = status
    }

    init(lines: [String], status: ExitStatus) {
        self.lines = lines
        self.status = status
    }

    static func usage(_ message: String) -> CLIError {
        CLIError(message, status: .usage)
    }

    var description: String { lines.joined(separator: "\n") }
}
