import Contracts

/// One event of a batch with what a handler decoded from it.
public struct Decoded<Value: Sendable>: Sendable {
    public var event: ConsumedEvent
    public var payload: Value

    public init(event: ConsumedEvent, payload: Value) {
        self.event = event
        self.payload = payload
    }

    /// The W3C `traceparent` of the event, for the events a handler emits in answer.
    public var traceparent: String? { event.event.traceparent }
}

/// A decoded batch: what decoded, in arrival order, and the events refused (they go to the
/// dead-letter queue while the rest of the batch is applied).
public struct DecodedBatch<Value: Sendable>: Sendable {
    public var items: [Decoded<Value>] = []
    public var rejections: [EventRejection] = []

    public init(items: [Decoded<Value>] = [], rejections: [EventRejection] = []) {
        self.items = items
        self.rejections = rejections
    }

    public var payloads: [Value] { items.map(\.payload) }
}

extension Sequence<ConsumedEvent> {
    /// Decodes every event's payload as `P`; an undecodable one is a rejection.
    public func decode<P: EventPayload>(_: P.Type) -> DecodedBatch<P> {
        decode { consumed throws(EventRejection) in try consumed.payload(P.self) }
    }

    /// Decodes every event with `transform`, in order: a thrown ``EventRejection`` refuses the event,
    /// `nil` leaves it out without refusing it (a duplicate within the batch, say).
    public func decode<Value: Sendable>(_ transform: (ConsumedEvent) throws(EventRejection) -> Value?) -> DecodedBatch<Value> {
        var batch = DecodedBatch<Value>()
        for consumed in self {
            do throws(EventRejection) {
                if let value = try transform(consumed) { batch.items.append(Decoded(event: consumed, payload: value)) }
            } catch {
                batch.rejections.append(error)
            }
        }
        return batch
    }
}

extension ConsumedEvent {
    /// The rejection of an event whose type the handler does not take (`what` names what it expected:
    /// "a user event" gives "not a user event: <type>").
    public func unexpectedType(_ what: String) -> EventRejection {
        EventRejection(eventId: event.id, errorClass: "unknown-type", message: "not \(what): \(event.type)")
    }
}

extension Sequence {
    /// Per key, the element with the highest version (the first one on ties), in the order keys were
    /// first seen: what is left of a batch once out-of-order and repeated events are dropped.
    public func newestByVersion<Key: Hashable>(key: (Element) -> Key, version: (Element) -> Int64) -> [Element] {
        var order: [Key] = []
        var newest: [Key: Element] = [:]
        for element in self {
            let key = key(element)
            if let seen = newest[key] {
                if version(seen) >= version(element) { continue }
            } else {
                order.append(key)
            }
            newest[key] = element
        }
        return order.compactMap { newest[$0] }
    }
}
