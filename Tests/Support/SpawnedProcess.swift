import Foundation
import ServicePlatform
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and reaped by a thread of its own: how the tests
/// start programs (services, the development broker, `lmsctl`, scripts).
///
/// Foundation's `Process` is not used: on Linux its `run()` lists `/proc/self/fd` and copies 256
/// bytes of every directory entry, reading past the end of the listing buffer once the process
/// holds more than about 1,300 descriptors. The parallel test phase holds up to 1,420
/// (measured), AddressSanitizer reports the read, and a CI run died of SIGSEGV while `lmsctl`
/// children were being started. It also missed a child's exit now and then.
///
/// The child starts with every descriptor above standard error closed and default signal
/// handlers, in `directory` when one is given.
public final class SpawnedProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file (output is appended to it).
        case file(URL)
        /// A pipe to this process: see ``writeInput(_:)``, ``readOutput()`` and ``readError()``.
        case pipe
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let executable: String
        public let code: Int32
        public var description: String { "could not start \(executable): \(String(cString: strerror(code)))" }
    }

    public let processIdentifier: pid_t
    /// The status once reaped: the exit code, or the number of the signal that ended the child
    /// (as Foundation's `terminationStatus` had it). Reaping and signalling hold this lock, so a
    /// signal never reaches a reused process id.
    private let exit = Mutex<Int32?>(nil)
    private let exited = DispatchSemaphore(value: 0)
    /// This process's ends of the pipes, until closed.
    private let pipes: Mutex<[Int32: Int32]>

    public init(
        _ executable: URL, _ arguments: [String] = [], environment: [String: String]? = nil, directory: URL? = nil,
        input: Stream = .null, output: Stream = .null, error: Stream = .null
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32: Int32] = [:]
        var childEnds: [Int32] = []
        defer { for descriptor in childEnds { close(descriptor) } }
        for (target, stream) in [(STDIN_FILENO, input), (STDOUT_FILENO, output), (STDERR_FILENO, error)] {
            let reads = target == STDIN_FILENO
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", reads ? O_RDONLY : O_WRONLY, 0)
            case .file(let url):
                posix_spawn_file_actions_addopen(&actions, target, url.path, reads ? O_RDONLY : O_WRONLY | O_APPEND | O_CREAT, 0o644)
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else {
                    let code = errno
                    for descriptor in parentEnds.values { close(descriptor) }
                    throw SpawnError(executable: executable.path, code: code)
                }
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                let (childEnd, parentEnd) = reads ? (ends[0], ends[1]) : (ends[1], ends[0])
                posix_spawn_file_actions_adddup2(&actions, childEnd, target)
                childEnds.append(childEnd)
                parentEnds[target] = parentEnd
            }
        }
        guard let closeFrom = GlibcSpawnExtensions.closeFrom, let changeDirectory = GlibcSpawnExtensions.changeDirectory else {
            for descriptor in parentEnds.values { close(descriptor) }
            throw SpawnError(executable: executable.path, code: ENOSYS)
        }
        _ = closeFrom(&actions, STDERR_FILENO + 1)
        if let directory { _ = changeDirectory(&actions, directory.path) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let environmentStrings = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for string in argv + (environmentStrings ?? []) { free(string) }
        }
        var pid: pid_t = 0
        let code = argv.withUnsafeBufferPointer { argvBuffer in
            guard let arguments = argvBuffer.baseAddress else { return EINVAL }
            guard let environmentStrings else {
                return posix_spawn(&pid, executable.path, &actions, &attributes, arguments, environ)
            }
            return environmentStrings.withUnsafeBufferPointer {
                posix_spawn(&pid, executable.path, &actions, &attributes, arguments, $0.baseAddress)
            }
        }
        guard code == 0 else {
            for descriptor in parentEnds.values { close(descriptor) }
            throw SpawnError(executable: executable.path, code: code)
        }
        processIdentifier = pid
        pipes = Mutex(parentEnds)
        // The thread keeps this object alive until the child is reaped.
        Thread { self.reap() }.start()
    }

    /// Waits for the child without reaping it, then reaps it under the lock: until then the
    /// process id stays ours, so ``send(_:)`` cannot signal another process.
    private func reap() {
        let pid = processIdentifier
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
        exit.withLock { exit in
            var status: Int32 = 0
            var reaped = waitpid(pid, &status, 0)
            while reaped == -1 && errno == EINTR { reaped = waitpid(pid, &status, 0) }
            // -1: the child was reaped elsewhere and its status is unknown (never read as success).
            exit = reaped != pid ? -1 : status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
        }
        exited.signal()
    }

    deinit {
        for descriptor in pipes.withLock({ $0.values }) { close(descriptor) }
    }

    public var isRunning: Bool { exit.withLock { $0 == nil } }

    /// The status once the child has ended (see ``exit``), else nil.
    public var terminationStatus: Int32? { exit.withLock { $0 } }

    /// Sends `signal` unless the child has already been reaped.
    public func send(_ signal: Int32) {
        exit.withLock { exit in
            if exit == nil { kill(processIdentifier, signal) }
        }
    }

    public func terminate() { send(SIGTERM) }

    /// Sends `signal` (SIGTERM: a graceful stop), then SIGKILL if the child still runs after
    /// `grace`; returns its status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async -> Int32 {
        send(signal)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        send(SIGKILL)
        return await waitUntilExit()
    }

    /// Blocks the calling thread until the child has ended; returns its status.
    @discardableResult
    public func blockUntilExit() -> Int32 {
        exited.wait()
        exited.signal()
        return terminationStatus ?? -1
    }

    /// Suspends until the child has ended; returns its status. The waiting happens on a thread
    /// of its own, never on the cooperative pool.
    @discardableResult
    public func waitUntilExit() async -> Int32 {
        await Self.onThread { self.blockUntilExit() }
    }

    /// Writes `data` to the child's standard input pipe and closes it (end of input).
    public func writeInput(_ data: Data) {
        guard let descriptor = takePipe(STDIN_FILENO) else { return }
        FileDescriptorIO.writeAll(data, to: descriptor)
        close(descriptor)
    }

    /// Reads the child's standard output pipe to its end (blocking).
    public func readOutput() -> Data { readPipe(STDOUT_FILENO) }

    /// Reads the child's standard error pipe to its end (blocking).
    public func readError() -> Data { readPipe(STDERR_FILENO) }

    private func readPipe(_ target: Int32) -> Data {
        guard let descriptor = takePipe(target) else { return Data() }
        defer { close(descriptor) }
        return FileDescriptorIO.readAll(from: descriptor)
    }

    private func takePipe(_ target: Int32) -> Int32? {
        pipes.withLock { $0.removeValue(forKey: target) }
    }

    /// Runs blocking `work` on a new thread and resumes with its result.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `..._addclosefrom_np` (2.34), which
/// Swift's Glibc module does not declare; looked up once by name.
private enum GlibcSpawnExtensions {
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: ChangeDirectory.self) }
    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: CloseFrom.self) }

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)  // RTLD_DEFAULT
    }
}
