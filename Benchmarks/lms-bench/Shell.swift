import Foundation

/// Runs a program (psql, pgbench) and returns its standard output; fails on a non-zero exit.
enum Shell {
    static func run(_ path: String, _ arguments: [String], input: String? = nil) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            // A thread of its own: reading a pipe blocks and must not hold a cooperative thread.
            Thread.detachNewThread {
                // The child inherits this thread's signal mask, and the runtime's threads block
                // nearly every signal: pgbench then never sees its own SIGALRM (`-T` runs forever)
                // nor a SIGTERM. Unblock them all before spawning.
                var none = sigset_t()
                sigemptyset(&none)
                pthread_sigmask(SIG_SETMASK, &none, nil)
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: path)
                    process.arguments = arguments
                    let output = Pipe()
                    let errors = Pipe()
                    let stdin = Pipe()
                    process.standardOutput = output
                    process.standardError = errors
                    process.standardInput = stdin
                    try process.run()
                    // Standard error is drained on a thread of its own: a program that fills that
                    // pipe while this one waits for standard output would block both for good.
                    let errorData = Locked(Data())
                    let drained = DispatchSemaphore(value: 0)
                    Thread.detachNewThread {
                        let data = errors.fileHandleForReading.readDataToEndOfFile()
                        errorData.withLock { $0 = data }
                        drained.signal()
                    }
                    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
                    try? stdin.fileHandleForWriting.close()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    drained.wait()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        throw BenchError(
                            "\(path) exited \(process.terminationStatus): \(String(decoding: errorData.withLock { $0 }, as: UTF8.self).prefix(400))")
                    }
                    continuation.resume(returning: String(decoding: data, as: UTF8.self))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The first existing path among candidates (PATH lookup for a bare name).
    static func find(_ name: String, candidates: [String]) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
        return (candidates + path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
