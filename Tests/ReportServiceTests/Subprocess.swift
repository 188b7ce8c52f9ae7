import Foundation
import TestSupport

/// Runs a program to completion with `input` on stdin; returns its exit status and stdout.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], input: String = "") async throws -> (status: Int32, output: String, error: String) {
        let result = try await ChildProcess.run(URL(fileURLWithPath: executable), arguments, stdin: input)
        return (result.status, result.stdout, result.stderr)
    }

    /// The path of `command` on PATH, or nil.
    static func which(_ command: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Parses CSV with Python's standard `csv` module (a reader this code base did not write).
    static func parseCSV(_ text: String) async throws -> [[String]] {
        guard let python = which("python3") else { throw Failure(description: "python3 not found (scripts/setup installs it)") }
        let script = "import csv, json, sys\nprint(json.dumps(list(csv.reader(sys.stdin))))"
        let result = try await run(python, ["-c", script], input: text)
        guard result.status == 0 else { throw Failure(description: "python csv failed: \(result.error)") }
        return try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
    }
}
