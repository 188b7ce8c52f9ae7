import Foundation

/// Runs a program to completion: feeds it standard input, collects standard output and error.
///
/// The blocking work (pipes, waiting) runs on threads of its own, never on the cooperative pool,
/// which must stay free to serve the in-process services the child may talk to. Input, output
/// and error each have a thread: a child that fills one pipe while this process waits on
/// another would otherwise block both for good.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments`; a child still running after `timeout` is stopped
    /// (SIGTERM, then SIGKILL).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
        stdin: String = "", timeout: Duration = .seconds(120)
    ) async throws -> Result {
        let child = try SpawnedProcess(
            executable, arguments, environment: environment, directory: directory, input: .pipe, output: .pipe, error: .pipe)
        let deadline = Task {
            try await Task.sleep(for: timeout)
            await child.stop()
        }
        defer { deadline.cancel() }
        async let input: Void = SpawnedProcess.onThread { child.writeInput(Data(stdin.utf8)) }
        async let output = SpawnedProcess.onThread { child.readOutput() }
        async let errors = SpawnedProcess.onThread { child.readError() }
        let (stdout, stderr, _) = await (output, errors, input)
        let status = await child.waitUntilExit()
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
