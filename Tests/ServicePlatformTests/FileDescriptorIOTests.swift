import Foundation
import ServicePlatform
import Synchronization
import Testing

/// Signals the handler below has seen; a C signal handler cannot capture, so it is global.
private let signalsSeen = Atomic<Int>(0)

@Suite("File descriptor I/O")
struct FileDescriptorIOTests {
    /// A read blocked on a pipe is interrupted again and again by a handler installed without
    /// SA_RESTART (as SIGCHLD's is in a process that runs children); every byte still arrives.
    @Test func readsEverythingThroughSignalsThatInterruptTheRead() throws {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in signalsSeen.add(1, ordering: .relaxed) }
        action.sa_flags = 0
        sigaction(SIGUSR2, &action, nil)
        let pipe = Pipe()
        let reader = Mutex<pthread_t?>(nil)
        let received = Mutex<Data?>(nil)
        Thread {
            // Threads the runtime starts block nearly every signal; this one takes SIGUSR2.
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGUSR2)
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            reader.withLock { $0 = pthread_self() }
            let data = FileDescriptorIO.readAll(from: pipe.fileHandleForReading.fileDescriptor)
            received.withLock { $0 = data }
        }.start()
        while reader.withLock({ $0 }) == nil { sched_yield() }
        let thread = try #require(reader.withLock { $0 })
        let before = signalsSeen.load(ordering: .relaxed)
        while signalsSeen.load(ordering: .relaxed) < before + 50 {
            pthread_kill(thread, SIGUSR2)
            sched_yield()
        }
        let sent = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        FileDescriptorIO.writeAll(sent, to: pipe.fileHandleForWriting.fileDescriptor)
        try pipe.fileHandleForWriting.close()
        while received.withLock({ $0 }) == nil { sched_yield() }
        #expect(received.withLock { $0 } == sent)
    }
}
