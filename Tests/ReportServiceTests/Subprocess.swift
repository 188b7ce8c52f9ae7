import Foundation

/// Runs a program to completion with `input` on stdin; returns its exit status and stdout.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The blocking work (pipes, waiting) runs on Dispatch threads, never on the cooperative pool,
    /// which must stay free to serve the HTTP requests the child may make to the test's server.
    static func run(_ executable: String, _ arguments: [String], input: String = "") async throws -> (status: Int32, output: String, error: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: executable)
                process.arguments = arguments
                let stdin = Pipe()
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stderr
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let group = DispatchGroup()
                nonisolated(unsafe) var errors = Data()
                group.enter()
                DispatchQueue.global().async {
                    errors = stderr.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(
                    returning: (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)))
            }
        }
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
