import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs a tick every `interval` once the database is ready, until graceful shutdown (which also
/// interrupts the wait, and a tick in progress: its transaction rolls back and the next run redoes
/// it). A failing tick is logged and retried at the next interval; it never stops the service.
///
/// Three shapes of background work:
/// - a plain tick (``init(name:interval:database:logger:pause:tick:)``);
/// - a singleton tick (``init(name:interval:database:logger:pause:singleton:tick:)``): work one
///   replica at a time does, in a transaction holding the singleton lock; the replicas that do not
///   get it skip the tick;
/// - steps (``init(name:interval:database:logger:wakeup:step:)``): repeated at once while they
///   find work, then after `interval` or a wakeup, whichever comes first; failures back off.
public struct PeriodicService: Service {
    /// The wait after a tick.
    public enum Pause: Sendable {
        /// `interval`.
        case interval
        /// `interval`, or `multiple` times the tick's duration when that is longer: expensive ticks
        /// space out, leaving the database to other work most of the time.
        case atLeast(timesTheTick: Int)
    }

    let name: String
    let interval: Duration
    let database: ServiceDatabase
    let logger: Logger
    let pause: Pause
    let wakeup: WakeupSignal?
    /// Failures wait 100 ms, doubling up to 10 s, instead of `interval` (steps).
    let backsOff: Bool
    /// True when the tick found work and wants to run again at once.
    let tick: @Sendable () async throws -> Bool

    public init(
        name: String,
        interval: Duration,
        database: ServiceDatabase,
        logger: Logger,
        pause: Pause = .interval,
        tick: @escaping @Sendable () async throws -> Void
    ) {
        self.init(name: name, interval: interval, database: database, logger: logger, pause: pause, wakeup: nil, backsOff: false) {
            try await tick()
            return false
        }
    }

    /// A tick that one replica at a time runs: each time, a transaction tries the singleton lock
    /// `singleton` (``AdvisoryLocks/tryLock(singleton:on:logger:)``) and, when it gets it, runs
    /// `tick` on its connection.
    public init(
        name: String,
        interval: Duration,
        database: ServiceDatabase,
        logger: Logger,
        pause: Pause = .interval,
        singleton: String,
        tick: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) {
        self.init(name: name, interval: interval, database: database, logger: logger, pause: pause, wakeup: nil, backsOff: false) {
            _ = try await database.transaction(singleton: singleton, tick)
            return false
        }
    }

    /// Steps: `step` returns true when it did work, and runs again at once; false waits `interval`,
    /// or until `wakeup` signals (new work in this process; other replicas find it by polling). A failing step is retried after 100 ms,
    /// doubling up to 10 s.
    public init(
        name: String,
        interval: Duration,
        database: ServiceDatabase,
        logger: Logger,
        wakeup: WakeupSignal,
        step: @escaping @Sendable () async throws -> Bool
    ) {
        self.init(name: name, interval: interval, database: database, logger: logger, pause: .interval, wakeup: wakeup, backsOff: true, tick: step)
    }

    private init(
        name: String,
        interval: Duration,
        database: ServiceDatabase,
        logger: Logger,
        pause: Pause,
        wakeup: WakeupSignal?,
        backsOff: Bool,
        tick: @escaping @Sendable () async throws -> Bool
    ) {
        self.name = name
        self.interval = interval
        self.database = database
        self.logger = logger
        self.pause = pause
        self.wakeup = wakeup
        self.backsOff = backsOff
        self.tick = tick
    }

    public func run() async throws {
        try await database.ready()
        try? await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var backoff = Self.firstBackoff
            while !Task.isCancelled {
                let started = clock.now
                var wait = interval
                do {
                    if try await tick() {
                        backoff = Self.firstBackoff
                        continue
                    }
                    backoff = Self.firstBackoff
                    if case .atLeast(let multiple) = pause { wait = max(interval, (clock.now - started) * multiple) }
                } catch  where !Task.isCancelled {
                    logger.error("\(name) failed", metadata: ["error": "\(String(reflecting: error))"])
                    if backsOff {
                        wait = backoff
                        backoff = min(backoff * 2, Self.lastBackoff)
                    }
                }
                if let wakeup {
                    await wakeup.wait(timeout: wait)
                } else {
                    try await Task.sleep(for: wait)
                }
            }
        }
    }

    static let firstBackoff = Duration.milliseconds(100)
    static let lastBackoff = Duration.seconds(10)
}
