import Foundation
import ServicePlatform

/// Writes to standard output and standard error without buffering surprises between the two.
/// Text passes through ``TerminalText`` first, so data cannot drive the terminal (only
/// ``errRaw(_:)``, lmsctl's own progress line, may carry escape sequences).
enum Console {
    static func out(_ text: String) {
        write(TerminalText.sanitized(text) + "\n", to: STDOUT_FILENO)
    }

    /// Standard output without a trailing newline (raw bodies such as CSV, whose CRLF stays).
    static func raw(_ text: String) {
        write(TerminalText.sanitized(text, keeping: ["\n", "\t", "\r"]), to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        write(TerminalText.sanitized(text) + "\n", to: STDERR_FILENO)
    }

    /// Standard error without a newline (progress bars redraw with `\r`).
    static func errRaw(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Ends the process with `code` (ArgumentParser's `exit(withError:)` shadows the C function in commands).
    static func terminate(_ code: Int32) -> Never {
        exit(code)
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(_ text: String, to descriptor: Int32) {
        FileDescriptorIO.writeAll(Data(text.utf8), to: descriptor)
    }
}
