import Foundation

/// Runs a bash script to completion for test fixtures (certificates, extra PostgreSQL clusters).
///
/// Output goes to a log file, never a pipe (a server the script starts inherits it and would die
/// writing to a closed pipe), and completion is read from a status file the script writes last,
/// not from the exit of bash (which waits for nothing a server it started leaves behind).
public enum ShellScript {
    public struct Failed: Error, CustomStringConvertible {
        public let status: Int32
        public let log: String
        public var description: String { "script exited with \(status):\n\(log)" }
    }

    /// Runs `script` with `arguments` as `$1`, `$2`, ...; returns what it printed.
    @discardableResult
    public static func run(_ script: String, _ arguments: [String] = [], timeout: Duration = .seconds(180)) async throws -> String {
        let id = UUID().uuidString.prefix(8)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("lms-script-\(id).log")
        let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("lms-script-\(id).status")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: log)
            try? FileManager.default.removeItem(at: statusFile)
        }
        let process = try SpawnedProcess(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", "( set -euo pipefail; \(script) ); echo $? > \"$0\"", statusFile.path] + arguments,
            output: .file(log), error: .file(log))
        defer { process.terminate() }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var status: Int32?
        while status == nil && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            if let text = try? String(contentsOf: statusFile, encoding: .utf8), text.hasSuffix("\n") {
                status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard status == 0 else { throw Failed(status: status ?? -1, log: String(text.suffix(3_000))) }
        return text
    }

    /// The repository's `scripts/lib` folder.
    public static var library: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/lib")
    }
}
