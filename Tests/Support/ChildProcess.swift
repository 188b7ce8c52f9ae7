import Foundation
import ServicePlatform

/// Runs a program to completion: feeds it standard input, collects standard output and error.
///
/// The blocking work (pipes, waiting) runs on threads of its own, never on the cooperative pool,
/// which must stay free to serve the in-process services the child may talk to. Pipes go through
/// ``FileDescriptorIO``: Foundation's `readDataToEndOfFile()` crashes when a SIGCHLD interrupts it.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments`; a child still running after `timeout` is terminated.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
        stdin: String = "", timeout: Duration = .seconds(120)
    ) async throws -> Result {
        let child = Child()
        child.process.executableURL = executable
        child.process.arguments = arguments
        if let environment { child.process.environment = environment }
        if let directory { child.process.currentDirectoryURL = directory }
        try child.process.run()
        return await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: child.finish(stdin: stdin)) }.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(timeout.components.seconds))) {
                child.terminateIfRunning()
            }
        }
    }

    /// A child and its pipes.
    ///
    /// `@unchecked Sendable`: `Process` and `Pipe` are not marked Sendable; each pipe is used by
    /// exactly one thread, and `Process` is only asked `isRunning`/`terminate` besides that.
    private final class Child: @unchecked Sendable {
        let process = Process()
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        private var errorData = Data()

        init() {
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
        }

        /// Standard error drains on a thread of its own: a child that fills that pipe while this
        /// one waits for standard output would block both for good.
        func finish(stdin: String) -> Result {
            let drained = DispatchSemaphore(value: 0)
            Thread {
                self.errorData = FileDescriptorIO.readAll(from: self.errors.fileHandleForReading.fileDescriptor)
                drained.signal()
            }.start()
            FileDescriptorIO.writeAll(Data(stdin.utf8), to: input.fileHandleForWriting.fileDescriptor)
            try? input.fileHandleForWriting.close()
            let outputData = FileDescriptorIO.readAll(from: output.fileHandleForReading.fileDescriptor)
            drained.wait()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
                stderr: String(decoding: errorData, as: UTF8.self))
        }

        func terminateIfRunning() {
            if process.isRunning { process.terminate() }
        }
    }
}
