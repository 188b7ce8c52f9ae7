import Kafka
import Logging
import ServiceLifecycle

/// Reads up to `count` messages from `consumer` (run for the duration), giving up after `timeout`.
func collectMessages(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), logger: Logger) async throws -> [KafkaConsumerMessage] {
    let group = ServiceGroup(configuration: .init(services: [consumer], logger: logger))
    return try await withThrowingTaskGroup(of: [KafkaConsumerMessage]?.self) { tasks in
        tasks.addTask {
            try await group.run()
            return nil
        }
        tasks.addTask {
            var collected: [KafkaConsumerMessage] = []
            for await batch in consumer.batches(maxMessages: 1000) {
                collected += batch
                consumer.storeOffsets(for: batch)
                if collected.count >= count { break }
            }
            return collected
        }
        tasks.addTask {
            try await Task.sleep(for: timeout)
            return []
        }
        var result: [KafkaConsumerMessage] = []
        while let next = try await tasks.next() {
            if let messages = next {
                result = messages
                break
            }
        }
        await group.triggerGracefulShutdown()
        tasks.cancelAll()
        while (try? await tasks.next()) != nil {}
        return result
    }
}

/// Runs `services` while `body` runs, then shuts them down.
func withRunningServices<R: Sendable>(_ services: [any Service], logger: Logger, _ body: @Sendable () async throws -> R) async throws -> R {
    let group = ServiceGroup(configuration: .init(services: services, logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Polls `condition` until it holds or the timeout passes.
func eventually(timeout: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
