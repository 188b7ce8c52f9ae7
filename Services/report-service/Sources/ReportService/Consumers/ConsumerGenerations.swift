import Logging
import PostgresNIO
import ServiceLifecycle
import ServicePlatform
import Synchronization

/// Runs the report consumers of the current read-model generation and restarts them when a
/// rebuild bumps it. The generation is part of each consumer's name (`users.g3`, so group
/// `report-service.users.g3`): a new generation is a new consumer group, which starts from the
/// earliest retained offset and so replays the topics into the emptied read model.
///
/// Consumers of one generation run in their own `ServiceGroup` and are stopped by a graceful
/// shutdown of that group (never by cancellation, which the consumer runtime treats as a failure
/// to retry), both for a restart and when the service itself shuts down.
package struct ConsumerGenerations: Service {
    let database: ServiceDatabase
    /// Builds the consumers of one generation.
    let makeConsumers: @Sendable (Int) throws -> [any Service]
    let pollInterval: Duration
    let logger: Logger

    package func run() async throws {
        try await database.ready()
        let stopping = StopFlag()
        var generation = try await ReportRebuild.generation(of: database)
        while !stopping.isSet && !Task.isCancelled {
            let current = generation
            let group = ServiceGroup(configuration: .init(services: try makeConsumers(generation), logger: logger))
            logger.info("Report consumers starting", metadata: ["generation": "\(generation)"])
            let next: Int? = try await withGracefulShutdownHandler {
                try await withThrowingTaskGroup(of: Int?.self) { tasks in
                    tasks.addTask {
                        try await group.run()
                        return nil
                    }
                    tasks.addTask {
                        while !stopping.isSet && !Task.isCancelled {
                            try? await Task.sleep(for: pollInterval)
                            if let latest = try? await ReportRebuild.generation(of: database), latest != current {
                                await group.triggerGracefulShutdown()
                                return latest
                            }
                        }
                        return nil
                    }
                    var next: Int?
                    for try await result in tasks where result != nil { next = result }
                    return next
                }
            } onGracefulShutdown: {
                stopping.set()
                Task { await group.triggerGracefulShutdown() }
            }
            if Task.isCancelled { stopping.set() }
            guard let next else { break }
            generation = next
        }
    }
}

/// A flag set once, shared between the poller and the shutdown handler.
final class StopFlag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() { value.withLock { $0 = true } }
}
