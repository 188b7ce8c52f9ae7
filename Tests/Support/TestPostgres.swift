import Foundation
import ServicePlatform

/// Stops and starts the PostgreSQL cluster that `scripts/test` runs the tests against, for the
/// restart fault test. `scripts/test` exports where the cluster lives (`LMS_TEST_POSTGRES_DIR`) and
/// the shell library that manages it (`LMS_TEST_POSTGRES_LIBRARY`); the port comes from
/// `LMS_TEST_DATABASE_URL`. Every test on the cluster sees the outage, so only a suite that runs
/// alone (the process suites of `scripts/test` do) may use it.
public struct TestPostgres: Sendable {
    public enum ControlError: Error, CustomStringConvertible {
        case notConfigured
        case failed(command: String, status: Int32, log: String)

        public var description: String {
            switch self {
            case .notConfigured:
                "LMS_TEST_POSTGRES_DIR and LMS_TEST_POSTGRES_LIBRARY are not set: run the test through scripts/test"
            case .failed(let command, let status, let log): "\(command) exited with \(status):\n\(log)"
            }
        }
    }

    let dataDirectory: String
    let library: String
    let port: Int
    let log: URL

    public init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let dataDirectory = environment["LMS_TEST_POSTGRES_DIR"], let library = environment["LMS_TEST_POSTGRES_LIBRARY"] else {
            throw ControlError.notConfigured
        }
        self.dataDirectory = dataDirectory
        self.library = library
        self.port = try ServiceHarness.testDatabaseURL().port
        self.log = FileManager.default.temporaryDirectory.appendingPathComponent("lms-postgres-control-\(UUID().uuidString.prefix(8)).log")
    }

    /// Fast shutdown: open connections are closed, transactions in flight roll back.
    public func stop() async throws { try await run("pg_stop \"$2\"") }

    /// Starts the cluster again on its port and waits until it accepts connections.
    public func start() async throws { try await run("pg_start \"$2\" \"$3\"") }

    /// Runs a function of the library in bash. The output goes to a file, never a pipe: the server
    /// started by `pg_start` inherits it and would die writing to a closed pipe. Completion is read
    /// from a status file the script writes last: Foundation's `Process` sometimes misses the exit
    /// of a child here (it stays a zombie and `isRunning` true).
    private func run(_ command: String) async throws {
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let statusFile = log.deletingPathExtension().appendingPathExtension("status-\(UUID().uuidString.prefix(8))")
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [
            "-c", "( source \"$1\" && \(command) ); echo $? > \"$4\"", "bash", library, dataDirectory, String(port), statusFile.path,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(180))
        var status: Int32?
        while status == nil && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            if let text = try? String(contentsOf: statusFile, encoding: .utf8), text.hasSuffix("\n") {
                status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        try? FileManager.default.removeItem(at: statusFile)
        guard status == 0 else {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ControlError.failed(command: command, status: status ?? -1, log: String(text.suffix(2_000)))
        }
    }
}
