import Contracts
import Foundation
import Kafka

/// Everything a probe consumer read from `lms.users.v1` and `lms.dlq.v1`, for assertions.
actor MessageLog {
    private(set) var messages: [KafkaConsumerMessage] = []

    func append(_ batch: [KafkaConsumerMessage]) {
        messages += batch
    }

    /// Messages of `topic`, optionally only those with `key`, in arrival order.
    func messages(on topic: Topic, key: String? = nil) -> [KafkaConsumerMessage] {
        messages.filter { $0.topic == topic.name && (key == nil || $0.keyString == key) }
    }

    /// Waits until `condition` holds for the messages of `topic` (and `key`), or the timeout passes.
    func waitFor(
        _ topic: Topic, key: String? = nil, timeout: Duration = .seconds(30), _ condition: @Sendable ([KafkaConsumerMessage]) -> Bool
    ) async -> [KafkaConsumerMessage] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            let current = messages(on: topic, key: key)
            if condition(current) { return current }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return messages(on: topic, key: key)
    }
}

extension KafkaConsumerMessage {
    /// The message as a CloudEvent (binary mode), or `nil`.
    var cloudEvent: CloudEvent? {
        try? CloudEvent.decode(headers: headers.map { ($0.key, $0.value ?? []) }, value: value)
    }

    var eventType: String? { headers.string(for: CloudEvent.HeaderName.type) }

    /// The `lms.user.upserted` payload, or `nil` for other messages.
    var snapshot: UserSnapshot? {
        guard let event = cloudEvent, event.type == .lmsUserUpserted else { return nil }
        return try? event.decodePayload(UserSnapshot.self)
    }

    /// The `lms.user.deactivated|reactivated|erased` payload, or `nil` for other messages.
    var lifecycle: UserLifecycleEvent? {
        guard let event = cloudEvent, UserLifecycleEvent.eventTypes.contains(event.type) else { return nil }
        return try? event.decodePayload(UserLifecycleEvent.self)
    }
}
