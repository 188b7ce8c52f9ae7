import Contracts
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The transactional outbox: events are written in the caller's transaction, next to the state
/// change they announce, and published later by the ``OutboxRelay``. If the transaction rolls
/// back, the events never existed; if it commits, they will be published (at least once).
public enum Outbox {
    /// The outbox writes of the transaction that ``ServiceDatabase/transaction(_:)`` is running.
    @TaskLocal static var currentTransaction: TransactionWrites?

    /// Whether a transaction enqueued events: its commit then wakes this process's relay.
    ///
    /// No `NOTIFY` is sent in the transaction: PostgreSQL serialises the commits of every notifying
    /// transaction of a database (a lock held through the WAL flush), which made every outbox write of
    /// every service commit one at a time. A standby relay passes the wake on to the leader instead.
    final class TransactionWrites: Sendable {
        private let written = Atomic(false)

        func markWritten() { written.store(true, ordering: .relaxed) }
        var wereWritten: Bool { written.load(ordering: .relaxed) }
    }

    /// Writes `events` (in order) with one multi-row statement. Inside ``ServiceDatabase/transaction(_:)``
    /// the commit wakes the relay; elsewhere the relay finds them at its next poll.
    public static func enqueue(_ events: [OutboxEvent], on connection: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        let ids = events.map { UUID(text: $0.event.id) ?? UUID() }
        let topics = events.map(\.topic.name)
        let keys = events.map(\.event.kafkaKey)
        let types = events.map(\.event.type.rawValue)
        let sources = events.map(\.event.source)
        let subjects = events.map(\.event.subject)
        let tenants = events.map(\.event.tenantId)
        let times = events.map(\.event.time)
        let traceparents = events.map { $0.event.traceparent ?? "" }
        let payloads = events.map { String(decoding: $0.event.data, as: UTF8.self) }
        try await connection.query(
            """
            INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, tenant_id, occurred_at, traceparent, payload)
            SELECT e.id, e.topic, e.key, e.type, e.source, e.subject, e.tenant, e.at, NULLIF(e.trace, ''), e.payload
            FROM unnest(\(ids)::uuid[], \(topics)::text[], \(keys)::text[], \(types)::text[], \(sources)::text[],
                        \(subjects)::text[], \(tenants)::text[], \(times)::timestamptz[], \(traceparents)::text[], \(payloads)::text[])
                 WITH ORDINALITY AS e(id, topic, key, type, source, subject, tenant, at, trace, payload, n)
            ORDER BY e.n
            """,
            logger: logger
        )
        currentTransaction?.markWritten()
    }
}

/// One event bound for a topic.
public struct OutboxEvent: Sendable {
    public var topic: Topic
    public var event: CloudEvent

    public init(topic: Topic, event: CloudEvent) {
        self.topic = topic
        self.event = event
    }

    /// Builds the CloudEvent for `payload` (type, subject and tenant from the payload).
    public init<Payload: EventPayload>(
        _ payload: Payload, type: EventType? = nil, topic: Topic? = nil, source: String, time: Date = Date(), traceparent: String? = nil
    ) throws {
        let event = try CloudEvent.make(payload, type: type, source: source, time: time, traceparent: traceparent)
        guard let resolved = topic ?? event.type.topic else { throw OutboxError.noTopic(event.type) }
        self.init(topic: resolved, event: event)
    }
}

enum OutboxError: Error, CustomStringConvertible {
    case noTopic(EventType)
    var description: String {
        switch self {
        case .noTopic(let type): "event type \(type) belongs to no topic"
        }
    }
}
