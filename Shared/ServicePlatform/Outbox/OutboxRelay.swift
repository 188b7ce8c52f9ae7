import Contracts
import Foundation
import Kafka
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Publishes the outbox of one service schema to Kafka, in commit order per key.
///
/// One relay per schema is active at a time: leadership is a session advisory lock held on a
/// dedicated connection, so replicas stand by and take over when the leader dies. The leader wakes
/// when a transaction of its process that enqueued events commits (``ServiceDatabase/transaction(_:)``),
/// when a standby replica passes on such a commit of its own (`NOTIFY` on the outbox channel, which
/// the leader `LISTEN`s to), and every `pollInterval`; it publishes batches with the idempotent
/// producer and deletes rows only after their delivery reports, so the table holds just what is
/// still to publish. A crash between publishing and deleting republishes those rows with the same
/// `ce_id`; consumers absorb the copies.
public final class OutboxRelay: Service, Sendable {
    public struct Configuration: Sendable {
        public var batchSize: Int = 2_000
        public var pollInterval: Duration = .seconds(1)
        public init() {}
    }

    private let database: ServiceDatabase
    private let producer: KafkaProducer
    private let configuration: Configuration
    private let logger: Logger
    /// Commits of this process, notifications of standbys' commits, and shutdown.
    private var wakeup: WakeupSignal { database.outboxCommits }
    private let shuttingDown = Mutex(false)
    private let published: Counter
    private let backlog: Gauge
    /// Test hook: runs after a batch is published and before its rows are deleted.
    private let afterPublish: @Sendable () async throws -> Void

    public init(
        database: ServiceDatabase, producer: KafkaProducer, configuration: Configuration = .init(), logger: Logger,
        afterPublish: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.database = database
        self.producer = producer
        self.configuration = configuration
        self.logger = logger
        self.afterPublish = afterPublish
        self.published = Counter(label: "outbox_published_total", dimensions: [("schema", database.schema)])
        self.backlog = Gauge(label: "outbox_backlog", dimensions: [("schema", database.schema)])
    }

    private var channel: String { "\(database.schema)_outbox" }
    private var isShuttingDown: Bool { shuttingDown.withLock { $0 } }

    public func run() async throws {
        try await database.ready()
        await withGracefulShutdownHandler {
            var backoff = Duration.milliseconds(100)
            while !isShuttingDown && !Task.isCancelled {
                do {
                    if try await leadIfPossible() {
                        backoff = .milliseconds(100)
                        continue
                    }
                    // Another replica leads: pass this process's commits on to it, try again later.
                    if await wakeup.wait(timeout: .seconds(2)), !isShuttingDown {
                        try await database.client.query("SELECT pg_notify(\(channel), '')", logger: logger)
                    }
                } catch {
                    logger.error("Outbox relay failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    await wakeup.wait(timeout: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        } onGracefulShutdown: {
            self.shuttingDown.withLock { $0 = true }
            self.wakeup.signal()
        }
    }

    /// Takes the leader lock on a dedicated connection, then relays until shutdown (true) or error;
    /// false when another replica leads.
    ///
    /// Every statement on the connection, the lock and its release included, runs under the
    /// watchdog of ``ServiceDatabase/untilClosed(_:_:)``: a statement sent just as the connection
    /// closes is never answered (the close can land between a check of `isClosed` and the write; a
    /// terminated backend fails the statement in flight before the socket is seen closed, and the
    /// release sent then hung the relay for good), so the relay gives the connection up instead
    /// and leads again on a new one.
    private func leadIfPossible() async throws -> Bool {
        try await database.client.withConnection { connection in
            try await ServiceDatabase.untilClosed(connection) { try await self.lead(on: connection) }
        }
    }

    private func lead(on connection: PostgresConnection) async throws -> Bool {
        let lockKey = "lms.outbox.\(database.schema)"
        let rows = try await connection.query("SELECT pg_try_advisory_lock(hashtext(\(lockKey)))", logger: logger)
        var locked = false
        for try await value in rows.decode(Bool.self) { locked = value }
        guard locked else { return false }
        logger.info("Outbox relay is the leader", metadata: ["schema": "\(database.schema)"])
        // A pooled connection keeps session locks: release it before the lease goes back (a
        // closed connection has lost it with its session).
        func unlock() async {
            guard !connection.isClosed else { return }
            _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
        }
        do {
            try await relay(on: connection)
            await unlock()
            return true
        } catch {
            await unlock()
            throw error
        }
    }

    private func relay(on connection: PostgresConnection) async throws {
        try await connection.listen(on: channel) { notifications in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [wakeup] in
                    // Ends when the connection does; the loop below then finds it closed.
                    defer { wakeup.signal() }
                    for try await _ in notifications { wakeup.signal() }
                }
                try await removeMarkedByPreviousVersion(on: connection)
                while true {
                    let stopping = isShuttingDown
                    // Drain until a short batch: it is the last of what was committed so far.
                    while try await publishBatch(on: connection) == configuration.batchSize {}
                    if stopping || Task.isCancelled { break }
                    await wakeup.wait(timeout: configuration.pollInterval)
                }
                group.cancelAll()
            }
        }
    }

    /// Publishes up to one batch of unpublished rows in id order. Returns how many were read.
    private func publishBatch(on connection: PostgresConnection) async throws -> Int {
        try ensureOpen(connection)
        let rows = try await connection.query(
            """
            SELECT id, event_id, topic, event_type, source, subject, tenant_id, occurred_at, traceparent, payload
            FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT \(configuration.batchSize)
            """, logger: logger)
        var ids: [Int64] = []
        var messages: [KafkaProducerMessage] = []
        for try await (id, eventId, topic, type, source, subject, tenant, time, traceparent, payload)
            in rows.decode((Int64, UUID, String, String, String, String, String, Date, String?, String).self)
        {
            let event = CloudEvent(
                id: eventId.lowercasedString, source: source, type: EventType(type), time: time, subject: subject,
                tenantId: tenant, traceparent: traceparent, data: Array(payload.utf8)
            )
            ids.append(id)
            messages.append(
                KafkaProducerMessage(
                    topic: topic, key: event.kafkaKey, value: event.data,
                    headers: event.binaryModeHeaders.map { KafkaHeader(key: $0.key, value: $0.value) }
                ))
        }
        backlog.record(ids.count)
        guard !ids.isEmpty else { return 0 }
        let reports = await producer.send(batch: messages)
        try await afterPublish()
        let delivered = zip(ids, reports).filter { $0.1.isDelivered }.map(\.0)
        if !delivered.isEmpty {
            try ensureOpen(connection)
            try await connection.query("DELETE FROM outbox WHERE id = ANY(\(delivered))", logger: logger)
            published.increment(by: delivered.count)
        }
        if delivered.count < ids.count {
            let failure = reports.first { !$0.isDelivered }?.error
            throw RelayError.deliveryFailed(count: ids.count - delivered.count, firstError: failure)
        }
        return ids.count
    }

    /// Replicas of the version before platform migration 4 mark delivered rows instead of deleting
    /// them; whatever they marked during a rolling upgrade goes when a new relay takes the lead.
    private func removeMarkedByPreviousVersion(on connection: PostgresConnection) async throws {
        try ensureOpen(connection)
        try await connection.query("DELETE FROM outbox WHERE published_at IS NOT NULL", logger: logger)
    }

    /// A query sent on a connection that has already closed is never answered (postgres-nio drops
    /// the write), so the relay, which holds one connection for as long as it leads, checks before
    /// each query and gives a closed connection up; it then leads again on a new one.
    private func ensureOpen(_ connection: PostgresConnection) throws(ServiceDatabase.ConnectionClosed) {
        if connection.isClosed { throw ServiceDatabase.ConnectionClosed() }
    }

    enum RelayError: Error, CustomStringConvertible {
        case deliveryFailed(count: Int, firstError: KafkaError?)
        var description: String {
            switch self {
            case .deliveryFailed(let count, let error): "\(count) outbox events not delivered: \(error.map(String.init(describing:)) ?? "unknown")"
            }
        }
    }
}
