import Logging
import ServiceLifecycle

/// Runs `tick` every `interval` once the database is ready, until graceful shutdown (which also
/// interrupts the wait, and a tick in progress: its transaction rolls back and the next run redoes
/// it). A failing tick is logged and retried at the next interval; it never stops the service.
public struct PeriodicService: Service {
    let name: String
    let interval: Duration
    let database: ServiceDatabase
    let logger: Logger
    let tick: @Sendable () async throws -> Void

    public init(name: String, interval: Duration, database: ServiceDatabase, logger: Logger, tick: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.interval = interval
        self.database = database
        self.logger = logger
        self.tick = tick
    }

    public func run() async throws {
        try await database.ready()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await tick()
                } catch where !Task.isCancelled {
                    logger.error("\(name) failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
