import PostgresNIO

/// The domain side of a consumer: applies a batch of new (never seen) events inside the batch's
/// transaction. It writes with multi-row statements, enqueues outgoing events through the
/// ``Outbox`` on the same connection, and returns the events it refuses (without applying them).
/// Throwing aborts the whole batch, which is retried: use it for transient failures only.
public protocol EventHandler: Sendable {
    func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection]
}
