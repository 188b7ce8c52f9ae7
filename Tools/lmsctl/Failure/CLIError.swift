/// A failure lmsctl reports itself: the lines to print on standard error and the exit status.
struct CLIError: Error, Sendable, CustomStringConvertible {
    var lines: [String]
    var status: CLIExitStatus

    init(_ message: String, status: CLIExitStatus = .failure) {
        self.lines = [message]
        self.status = status
    }

    init(lines: [String], status: CLIExitStatus) {
        self.lines = lines
        self.status = status
    }

    static func usage(_ message: String) -> CLIError {
        CLIError(message, status: .usage)
    }

    var description: String { lines.joined(separator: "\n") }
}
