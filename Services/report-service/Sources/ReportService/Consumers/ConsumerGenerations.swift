import Logging
import PostgresNIO
import ServiceLifecycle
import ServicePlatform

/// Runs the report consumers of the current read-model generation and restarts them when a
/// rebuild bumps it. The generation is part of each consumer's name (`users.g3`, so group
/// `report-service.users.g3`): a new generation is a new consumer group, which starts from the
/// earliest retained offset and so replays the topics into the emptied read model.
package struct ConsumerGenerations: Service {
    let database: ServiceDatabase
    /// Builds the consumers of one generation.
    let makeConsumers: @Sendable (Int) throws -> [any Service]
    let pollInterval: Duration
    let logger: Logger

    package func run() async throws {
        try await database.ready()
        try await cancelWhenGracefulShutdown {
            var generation = try await ReportRebuild.generation(of: database)
            while !Task.isCancelled {
                let consumers = try makeConsumers(generation)
                logger.info("Report consumers starting", metadata: ["generation": "\(generation)"])
                let running = Task {
                    try await withThrowingDiscardingTaskGroup { group in
                        for consumer in consumers { group.addTask { try await consumer.run() } }
                    }
                }
                var next = generation
                while next == generation && !Task.isCancelled {
                    try? await Task.sleep(for: pollInterval)
                    if let current = try? await ReportRebuild.generation(of: database) { next = current }
                }
                running.cancel()
                _ = try? await running.value
                generation = next
            }
        }
    }
}
