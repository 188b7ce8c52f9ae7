import Foundation

/// Runs a program to completion with `input` on stdin; returns its exit status and stdout.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func run(_ executable: String, _ arguments: [String], input: String = "") async throws -> (status: Int32, output: String, error: String) {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            let stdin = Pipe()
            let stdout = Pipe()
            let stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            // Read both pipes before waiting so a large output never blocks the child.
            async let errorData = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
            let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
            let errors = await errorData
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errors, as: UTF8.self))
        }.value
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
