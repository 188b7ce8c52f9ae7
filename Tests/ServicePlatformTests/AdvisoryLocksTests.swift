import PostgresNIO
import ServicePlatform
import Synchronization
import TestSupport
import Testing

@Suite("Advisory locks", .hangGuard)
struct AdvisoryLocksTests {
    /// Of two transactions on two connections, one gets the singleton lock and the other does not,
    /// until the first one ends.
    @Test func oneTransactionGetsASingletonLockAndTheOtherDoesNot() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            let (first, second) = try await database.transaction { connection in
                let first = try await AdvisoryLocks.tryLock(singleton: "tests.sweep", on: connection, logger: logger)
                let second = try await database.transaction { other in
                    try await AdvisoryLocks.tryLock(singleton: "tests.sweep", on: other, logger: logger)
                }
                return (first, second)
            }
            #expect(first)
            #expect(!second)
            let again = try await database.transaction { connection in
                try await AdvisoryLocks.tryLock(singleton: "tests.sweep", on: connection, logger: logger)
            }
            #expect(again)
        }
    }

    @Test func aSingletonTransactionIsSkippedWhileAnotherHoldsTheLock() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            let skipped = try await database.transaction(singleton: "tests.publisher") { _ in
                try await database.transaction(singleton: "tests.publisher") { _ in 1 }
            }
            #expect(skipped == .some(nil))
            let ran = try await database.transaction(singleton: "tests.publisher") { _ in 2 }
            #expect(ran == 2)
        }
    }

    /// A session lock is held across statements outside a transaction, and released when the body ends.
    @Test func aSessionLockIsHeldForTheBodyOnly() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            func heldElsewhere() async throws -> Bool {
                try await database.transaction { connection in
                    try await !AdvisoryLocks.tryLock(singleton: "tests.guess/acme/u1", on: connection, logger: logger)
                }
            }
            let duringBody = try await database.client.withConnection { connection in
                try await AdvisoryLocks.withSessionLock("tests.guess/acme/u1", on: connection, logger: logger) {
                    try await heldElsewhere()
                }
            }
            #expect(duringBody)
            #expect(try await !heldElsewhere())
        }
    }

    /// A singleton service ticks in one replica at a time: two services on one schema never overlap.
    @Test func singletonTicksNeverOverlap() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let state = Mutex((running: 0, overlaps: 0, ticks: 0))
        let services = (0..<2).map { index in
            PeriodicService(
                name: "tick \(index)", interval: .milliseconds(5), database: database, logger: environment.logger, singleton: "tests.tick"
            ) { connection in
                state.withLock {
                    $0.running += 1
                    if $0.running > 1 { $0.overlaps += 1 }
                }
                try await connection.query("SELECT pg_sleep(0.02)", logger: environment.logger)
                state.withLock {
                    $0.running -= 1
                    $0.ticks += 1
                }
            }
        }
        try await withRunning([database] + services, logger: environment.logger) {
            while state.withLock({ $0.ticks }) < 10 { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(state.withLock { $0.overlaps } == 0)
    }

    /// Steps run again at once while they find work, then wait for the interval or a wakeup.
    @Test func stepsRunWhileTheyFindWorkAndWakeUpOnASignal() async throws {
        let environment = try PlatformTestEnvironment()
        let database = environment.database()
        let wakeup = WakeupSignal()
        let work = Mutex((pending: 3, steps: 0))
        let runner = PeriodicService(name: "steps", interval: .seconds(60), database: database, logger: environment.logger, wakeup: wakeup) {
            work.withLock { work in
                work.steps += 1
                guard work.pending > 0 else { return false }
                work.pending -= 1
                return true
            }
        }
        try await withRunning([database, runner], logger: environment.logger) {
            while work.withLock({ $0.steps }) < 4 { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(100))
            #expect(work.withLock { $0.steps } == 4)
            work.withLock { $0.pending = 1 }
            wakeup.signal()
            while work.withLock({ $0.steps }) < 6 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(work.withLock { $0.pending } == 0)
    }
}
