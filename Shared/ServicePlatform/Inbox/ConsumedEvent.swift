import Contracts
import Kafka

/// A consumed, decoded and validated event, with the Kafka record it came from.
public struct ConsumedEvent: Sendable {
    public var event: CloudEvent
    public var message: KafkaConsumerMessage

    public init(event: CloudEvent, message: KafkaConsumerMessage) {
        self.event = event
        self.message = message
    }

    /// Decodes the payload. A failure is a poison message, classified as ``PayloadCheck`` would have
    /// (`malformed-json`, `schema-invalid`, `tenant-mismatch`), else `undecodable-payload`.
    public func payload<P: EventPayload>(_ type: P.Type) throws(EventRejection) -> P {
        do {
            return try event.decodePayload(type)
        } catch {
            throw PayloadCheck.rejection(of: event, eventId: event.id)
                ?? EventRejection(eventId: event.id, errorClass: "undecodable-payload", message: error.description)
        }
    }
}

/// A handler's refusal of one event: it goes to the dead-letter queue with this reason and the
/// rest of the batch is applied.
public struct EventRejection: Error, Sendable, Hashable {
    public var eventId: String
    /// A short machine-readable class, e.g. `unknown-user` or `tenant-mismatch`.
    public var errorClass: String
    public var message: String

    public init(eventId: String, errorClass: String, message: String) {
        self.eventId = eventId
        self.errorClass = errorClass
        self.message = message
    }
}
