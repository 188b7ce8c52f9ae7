import Kafka
import Logging

/// Reads batches (storing offsets unless told not to) until `done` says so or the timeout passes.
public func collect(
    _ consumer: KafkaConsumer, timeout: Duration = .seconds(30), storeOffsets: Bool = true,
    until done: @escaping @Sendable ([KafkaConsumerMessage]) -> Bool
) async -> [KafkaConsumerMessage] {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    return await withTaskGroup(of: [KafkaConsumerMessage]?.self) { group in
        group.addTask {
            var collected: [KafkaConsumerMessage] = []
            for await batch in consumer.batches(maxMessages: 1000) {
                collected += batch
                if storeOffsets { consumer.storeOffsets(for: batch) }
                if done(collected) || clock.now >= deadline { break }
            }
            return collected
        }
        group.addTask {
            try? await Task.sleep(until: deadline, clock: clock)
            return nil
        }
        var result: [KafkaConsumerMessage] = []
        while let next = await group.next() {
            if let messages = next { result = messages }
            group.cancelAll()
        }
        return result
    }
}

/// Reads until `count` messages arrived or the timeout passes.
public func collect(
    _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), storeOffsets: Bool = true
) async -> [KafkaConsumerMessage] {
    await collect(consumer, timeout: timeout, storeOffsets: storeOffsets) { $0.count >= count }
}

/// Runs `consumer` in its own group for the duration and reads until `count` messages arrived or
/// the timeout passes.
public func collectRunning(
    _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), logger: Logger
) async throws -> [KafkaConsumerMessage] {
    try await withRunning([consumer], logger: logger) { await collect(consumer, count: count, timeout: timeout) }
}
