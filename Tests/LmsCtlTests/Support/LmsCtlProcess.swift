import Foundation
import TestSupport

/// Runs the built `lmsctl` executable as a subprocess, as an operator would, in an empty working
/// directory (so no `.lms/stack.env` of the checkout is found) with only the environment given.
struct LmsCtlProcess {
    /// `lmsctl` among the built products (next to the test runner), or `LMSCTL_PATH`.
    static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LMSCTL_PATH"] { return URL(fileURLWithPath: path) }
        let url = LocalStack.binaries.appendingPathComponent("lmsctl")
        guard FileManager.default.isExecutableFile(atPath: url.path) else { throw LocalStack.StackError.missingExecutable(url.path) }
        return url
    }

    /// A fresh empty directory for the run and its files.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmsctl-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `lmsctl arguments` with `environment` (plus PATH and HOME) in `directory`.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil, stdin: String? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> ChildProcess.Result {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { _, new in new }
        return try await ChildProcess.run(
            try executable(), arguments, environment: env, directory: try directory ?? temporaryDirectory(), stdin: stdin ?? "",
            timeout: timeout)
    }

    /// Writes `text` to `name` in `directory` and returns its path.
    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
