import Foundation
import Testing

/// Runs the built `lmsctl` executable as a subprocess, as an operator would, in an empty working
/// directory (so no `.lms/stack.env` of the checkout is found) with only the environment given.
struct LmsCtlProcess {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `lmsctl` next to the test bundle (`.build/<config>/lmsctl`), or `LMSCTL_PATH`.
    static func executable() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["LMSCTL_PATH"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        // Linux: .build/debug/<package>PackageTests.xctest; macOS: .../<package>PackageTests.xctest/Contents/MacOS/...
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("lmsctl"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/lmsctl"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw LmsCtlNotBuilt(searched: candidates.map(\.path))
        }
        return found
    }

    struct LmsCtlNotBuilt: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "lmsctl not built (swift build --build-tests builds it); looked in \(searched)" }
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
    ) async throws -> Result {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = try directory ?? temporaryDirectory()
        let running = RunningProcess(process)
        try process.run()
        return await withCheckedContinuation { continuation in
            // Blocking reads and waits run on threads of their own: on the cooperative pool they
            // would starve the in-process services the child is talking to.
            Thread { continuation.resume(returning: running.finish(stdin: stdin)) }.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds))) { running.terminateIfRunning() }
        }
    }

    /// A started child and its pipes.
    ///
    /// `@unchecked Sendable`: `Process` and `Pipe` are not marked Sendable; the pipes are each read
    /// by exactly one thread, and `Process` is only asked `isRunning`/`terminate` besides that.
    private final class RunningProcess: @unchecked Sendable {
        let process: Process
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()

        init(_ process: Process) {
            self.process = process
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
        }

        func finish(stdin: String?) -> Result {
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
            let errorDone = DispatchSemaphore(value: 0)
            let errorData = ErrorData()
            Thread {
                errorData.value = self.err.fileHandleForReading.readDataToEndOfFile()
                errorDone.signal()
            }.start()
            let outputData = out.fileHandleForReading.readDataToEndOfFile()
            errorDone.wait()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                stderr: String(decoding: errorData.value, as: UTF8.self))
        }

        func terminateIfRunning() {
            if process.isRunning { process.terminate() }
        }
    }

    /// `@unchecked Sendable`: written by the reading thread before the semaphore is signalled, read after.
    private final class ErrorData: @unchecked Sendable {
        var value = Data()
    }

    /// Writes `text` to `name` in `directory` and returns its path.
    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
