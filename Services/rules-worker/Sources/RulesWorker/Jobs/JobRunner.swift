import Foundation
import Logging
import ServiceLifecycle
import ServicePlatform

/// Steps open jobs until none is left, then waits for a new one (signal or poll). Several replicas
/// can run it: each step locks its job row with `SKIP LOCKED`, so one job advances one step at a time.
package final class JobRunner: Service, Sendable {
    private let database: ServiceDatabase
    private let stepper: JobStepper
    private let signal: JobSignal
    private let pollInterval: Duration
    private let logger: Logger

    package init(database: ServiceDatabase, stepper: JobStepper, signal: JobSignal, pollInterval: Duration, logger: Logger) {
        self.database = database
        self.stepper = stepper
        self.signal = signal
        self.pollInterval = pollInterval
        self.logger = logger
    }

    package func run() async throws {
        try await database.ready()
        await withGracefulShutdownHandler {
            var backoff = Duration.milliseconds(100)
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    if try await stepper.step(database) {
                        backoff = .milliseconds(100)
                        continue
                    }
                    await signal.wait(timeout: pollInterval)
                } catch {
                    logger.error("Job step failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    await signal.wait(timeout: backoff)
                    backoff = min(backoff * 2, .seconds(10))
                }
            }
        } onGracefulShutdown: {
            self.signal.signal()
        }
    }
}
