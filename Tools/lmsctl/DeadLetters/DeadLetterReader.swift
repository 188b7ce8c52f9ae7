import Contracts
import Foundation
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Reads `lms.dlq.v1` from the beginning with a throwaway consumer group (a fresh group id that
/// commits nothing), until no message has arrived for `idle` after partitions were assigned.
///
/// The Kafka layer exposes no high watermarks, so "the end" is "quiet for `idle`"; a DLQ is written
/// rarely, so two seconds of quiet after the group join (about 3 s on the development broker) is
/// a safe end. `timeout` bounds the whole read (e.g. when the topic does not exist).
struct DeadLetterReader: Sendable {
    var brokers: String
    var idle: Duration = .seconds(2)
    var timeout: Duration = .seconds(30)
    var logger: Logger

    private struct Progress {
        var records: [String: DeadLetterRecord] = [:]
        var lastActivity: ContinuousClock.Instant?
    }

    /// The read's state, shared by the reading and the watching task.
    private final class SharedProgress: Sendable {
        let state = Mutex(Progress())
    }

    func read() async throws(CLIError) -> [DeadLetterRecord] {
        var configuration = KafkaConsumerConfiguration(
            bootstrapServers: brokers, groupId: "lmsctl-dlq-\(UUID().uuidString.lowercased())", topics: [Topic.deadLetter.name],
            clientId: "lmsctl")
        configuration.autoOffsetReset = .earliest
        configuration.statisticsIntervalMilliseconds = 0
        configuration.shutdownDrainTimeout = .seconds(1)
        // Throwaway group: nothing is ever committed, so the read leaves no trace in the cluster.
        configuration.additionalProperties["enable.auto.commit"] = "false"
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        } catch {
            throw CLIError("cannot create a Kafka consumer for \(brokers): \(error)")
        }
        let progress = SharedProgress()
        let group = ServiceGroup(configuration: .init(services: [consumer], logger: logger))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let idle = self.idle
        let outcome: Bool = await withTaskGroup(of: Bool?.self) { tasks in
            tasks.addTask {
                try? await group.run()
                return nil
            }
            tasks.addTask {
                for await batch in consumer.batches(maxMessages: 1000) {
                    progress.state.withLock { state in
                        for message in batch { state.records["\(message.partition):\(message.offset)"] = DeadLetterRecord(message) }
                        state.lastActivity = clock.now
                    }
                }
                return nil
            }
            tasks.addTask {
                // Done once partitions are assigned and nothing arrived for `idle`; false when no
                // assignment came before the deadline. A long read of a big DLQ is not cut off.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    let assigned = !consumer.assignment.isEmpty
                    if !assigned && clock.now >= deadline { return false }
                    let quiet: Bool = progress.state.withLock { state in
                        guard assigned else { return false }
                        guard let last = state.lastActivity else {
                            state.lastActivity = clock.now
                            return false
                        }
                        return clock.now - last >= idle
                    }
                    if quiet { return true }
                }
                return false
            }
            var finished = false
            while let result = await tasks.next() {
                if let result {
                    finished = result
                    await group.triggerGracefulShutdown()
                    tasks.cancelAll()
                }
            }
            return finished
        }
        guard outcome else {
            throw CLIError(
                "no partition of \(Topic.deadLetter.name) was assigned within \(timeout) from \(brokers) (is the broker up and the topic created?)",
                status: .serverError)
        }
        return progress.state.withLock { Array($0.records.values) }.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}
