import PostgresNIO
import ServicePlatform
import Synchronization
import TestSupport
import Testing

@Suite("Service database", .hangGuard)
struct ServiceDatabaseTests {
    /// A transaction whose connection dies (as in a PostgreSQL restart) fails with an error the
    /// caller can retry, instead of hanging on a `ROLLBACK` sent to the closed connection; the
    /// pool then serves the next transaction on a new connection.
    @Test func aTransactionWhoseConnectionDiesFailsAndTheNextOneWorks() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            // The attempt runs unstructured: if it hangs, the test fails instead of hanging with it.
            let outcome = Mutex<String?>(nil)
            let attempt = Task {
                do {
                    _ = try await database.transaction { connection in
                        // The server ends the session; by the time the closure fails, the channel is torn down.
                        _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                        try await Task.sleep(for: .milliseconds(500))
                        throw CancellationError()
                    }
                    outcome.withLock { $0 = "committed" }
                } catch {
                    outcome.withLock { $0 = "failed" }
                }
            }
            _ = try await eventually(timeout: .seconds(20)) { outcome.withLock { $0 } != nil }
            defer { attempt.cancel() }
            #expect(outcome.withLock { $0 } == "failed", "the transaction failed instead of hanging (nil: still waiting after 20 s)")
            let next = try await eventually(timeout: .seconds(20)) {
                (try? await database.transaction { connection in
                    try await connection.query("SELECT 1", logger: logger)
                }) != nil
            }
            #expect(next, "a new transaction works on a new connection")
        }
    }

    /// A statement of the transaction's body sent after its connection died is never answered
    /// by postgres-nio; the transaction still fails (`ConnectionClosed`) instead of hanging.
    @Test func aStatementSentAfterTheConnectionDiedDoesNotHangTheTransaction() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            let outcome = Mutex<String?>(nil)
            let attempt = Task {
                do {
                    _ = try await database.transaction { connection in
                        _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                        try await Task.sleep(for: .milliseconds(500))  // the channel is torn down meanwhile
                        try await connection.query("SELECT 1", logger: logger)  // never answered
                    }
                    outcome.withLock { $0 = "committed" }
                } catch is ServiceDatabase.ConnectionClosed {
                    outcome.withLock { $0 = "connection closed" }
                } catch {
                    outcome.withLock { $0 = "failed: \(error)" }
                }
            }
            _ = try await eventually(timeout: .seconds(20)) { outcome.withLock { $0 } != nil }
            defer { attempt.cancel() }
            #expect(outcome.withLock { $0 } == "connection closed", "nil: the transaction still hangs after 20 s")
        }
    }
}
