import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// A service's PostgreSQL: the `PostgresClient` pool (run as part of this `Service`), bound to the
/// service's own schema through `search_path`, migrated on start.
///
/// Everything that touches tables waits for ``ready()``: it returns once the schema is migrated,
/// so consumers and the outbox relay can start with the pool without racing the migrations.
public final class ServiceDatabase: Service, Sendable {
    public let client: PostgresClient
    public let schema: String
    public let logger: Logger
    private let url: DatabaseURL
    private let migrations: [Migration]
    private let readiness = ReadinessLatch()
    /// Signalled after each commit of a transaction that enqueued outbox events; the relay waits on it.
    let outboxCommits = WakeupSignal()

    /// - Parameters:
    ///   - schema: the service's schema (`users`, `enrollments`, ...); created when missing.
    ///   - migrations: the service's own migrations; the platform's tables (outbox, inbox,
    ///     idempotency keys) are added first.
    public init(url: DatabaseURL, schema: String, migrations: [Migration], logger: Logger, maxConnections: Int = 20) {
        var configuration = url.clientConfiguration(schema: schema)
        configuration.options.maximumConnections = maxConnections
        configuration.options.minimumConnections = 1
        configuration.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.url = url
        self.schema = schema
        self.logger = logger
        self.migrations = PlatformMigrations.all + migrations
    }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            do {
                try await DatabaseConnectionCheck(url: url, logger: logger).run()
                try await MigrationRunner(schema: schema, migrations: migrations, logger: logger).migrate(client)
                readiness.open()
            } catch {
                readiness.fail(error)
                logger.critical("Database migration failed", metadata: ["schema": "\(schema)", "error": "\(String(reflecting: error))"])
                group.cancelAll()
                throw error
            }
            try await group.next()
        }
    }

    /// Returns once the schema is migrated (throws if migration failed).
    public func ready() async throws {
        try await readiness.wait()
    }

    /// A readiness probe: true when a trivial query answers.
    public func isReachable() async -> Bool {
        do {
            try await client.query("SELECT 1", logger: logger)
            return true
        } catch {
            return false
        }
    }

    /// Runs `body` in a transaction on a pooled connection; throws the error `body` threw (or the
    /// database's own). A commit that enqueued outbox events wakes the ``OutboxRelay``.
    ///
    /// postgres-nio never answers a query written to a connection that has already closed (the
    /// write is dropped), and its own `withTransaction` sends `ROLLBACK` after any error, so a
    /// connection lost mid-transaction (a PostgreSQL restart) would hang the caller for good. Here
    /// no `BEGIN`/`COMMIT`/`ROLLBACK` is sent on a closed connection, and `body` runs in a task of
    /// its own that the connection's closing abandons (`untilClosed`): a statement of
    /// `body` sent after the close can never hang the caller. The server rolled the transaction
    /// back with the session, and the caller gets ``ConnectionClosed``, which it can retry.
    public func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await client.withConnection { connection in
            try await Self.execute("BEGIN", on: connection, logger: logger)
            let value: Result
            let outbox = Outbox.TransactionWrites()
            do {
                value = try await Outbox.$currentTransaction.withValue(outbox) {
                    try await Self.untilClosed(connection) { try await body(connection) }
                }
            } catch {
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
            try await Self.execute("COMMIT", on: connection, logger: logger)
            if outbox.wereWritten { outboxCommits.signal() }
            return value
        }
    }

    /// The result of `work`, or ``ConnectionClosed`` once `connection` is found closed (checked
    /// every 200 ms; a callback on the connection's close future would pile up on a long-lived
    /// pooled connection), whichever comes first. `work` runs in a task of its own, cancelled with
    /// the caller; when the connection closes first it is cancelled and left behind (a statement it
    /// wrote to the closed connection is never answered, so it may never finish).
    static func untilClosed<Result: Sendable>(
        _ connection: PostgresConnection,
        _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let task = Task { try await work() }
        let outcome = OneShot()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                let watchdog = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(200))
                        if connection.isClosed, outcome.claim() {
                            task.cancel()
                            continuation.resume(throwing: ConnectionClosed())
                            return
                        }
                    }
                }
                Task {
                    let result = await task.result
                    watchdog.cancel()
                    if outcome.claim() { continuation.resume(with: result) }
                }
            }
        } onCancel: {
            task.cancel()
        }
    }

    /// Sends a statement unless the connection has closed (see ``transaction(_:)``).
    static func execute(_ statement: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws {
        guard !connection.isClosed else { throw ConnectionClosed() }
        try await connection.query(statement, logger: logger)
    }

    /// The connection closed before a statement could be sent; retrying on a new one can succeed.
    public struct ConnectionClosed: Error, CustomStringConvertible {
        public var description: String { "the database connection closed" }
    }
}

/// A flag that can be claimed once: the first `claim()` returns true, every later one false.
final class OneShot: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}

/// A one-shot gate: closed until opened (or failed) once.
final class ReadinessLatch: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Void, any Error>])
        case open
        case failed(any Error)
    }

    private let state = Mutex(State.waiting([]))

    func open() { finish(with: nil) }
    func fail(_ error: any Error) { finish(with: error) }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .open: return .success(())
                case .failed(let error): return .failure(error)
                }
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    private func finish(with error: (any Error)?) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = error.map { .failed($0) } ?? .open
            return waiters
        }
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }
}
