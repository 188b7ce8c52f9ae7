import Foundation
import Kafka
import Synchronization
import Testing

/// The development cluster's thread must not take the application's signals: librdkafka 2.0.2's
/// mock thread treats an interrupted `poll` as fatal and frees the cluster while it is in use.
@Suite("Development cluster thread")
struct MockClusterThreadTests {
    @Test func theMockThreadBlocksSignalsEvenWhenItsCreatorTakesThem() throws {
        // Create the cluster from a thread that blocks nothing, as a program's main thread does.
        let created = Mutex<Result<KafkaMockCluster, KafkaError>?>(nil)
        Thread {
            var none = sigset_t()
            sigemptyset(&none)
            pthread_sigmask(SIG_SETMASK, &none, nil)
            let result = Result { () throws(KafkaError) in try KafkaMockCluster(brokers: 1) }
            created.withLock { $0 = result }
        }.start()
        while created.withLock({ $0 }) == nil { sched_yield() }
        let cluster = try #require(created.withLock { $0 }).get()
        defer { withExtendedLifetime(cluster) {} }

        // The thread names itself once it runs: wait for it (at most 30 s).
        let deadline = ContinuousClock.now + .seconds(30)
        var mockThreads = try Self.threads(named: "rdk:mock")
        while mockThreads.isEmpty && ContinuousClock.now < deadline {
            usleep(10_000)
            mockThreads = try Self.threads(named: "rdk:mock")
        }
        #expect(!mockThreads.isEmpty)
        for (thread, blocked) in mockThreads {
            for signal in [SIGINT, SIGUSR1, SIGUSR2, SIGTERM, SIGCHLD, SIGPROF] {
                #expect(blocked & (1 << UInt64(signal - 1)) != 0, "thread \(thread) takes signal \(signal)")
            }
        }
    }

    /// Thread id → blocked-signal mask (`SigBlk`) of this process's threads called `name`.
    static func threads(named name: String) throws -> [(Int, UInt64)] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { task in
            let folder = "/proc/self/task/\(task)"
            guard (try? String(contentsOfFile: "\(folder)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let status = try? String(contentsOfFile: "\(folder)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
                let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16),
                let id = Int(task)
            else { return nil }
            return (id, mask)
        }
    }
}
