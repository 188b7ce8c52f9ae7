import PostgresNIO
import ServicePlatform
import TestSupport
import Testing

@Suite("Postgres errors", .hangGuard)
struct PostgresErrorsTests {
    @Test func classifiesServerErrorsBySQLState() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            func error(_ sqlState: String) async -> any Error {
                do {
                    try await database.client.query(
                        PostgresQuery(unsafeSQL: "DO $$ BEGIN RAISE EXCEPTION 'raised' USING ERRCODE = '\(sqlState)'; END $$"),
                        logger: logger
                    )
                    return CancellationError()
                } catch {
                    return error
                }
            }
            for conflict in ["40001", "40P01", "55P03"] {
                let raised = await error(conflict)
                #expect(PostgresErrors.sqlState(of: raised) == conflict)
                #expect(PostgresErrors.isConflict(raised))
                #expect(!PostgresErrors.isConnectionLoss(raised))
                #expect(PostgresErrors.isRetryable(raised))
            }
            for loss in ["57P01", "08006"] {
                let raised = await error(loss)
                #expect(!PostgresErrors.isConflict(raised))
                #expect(PostgresErrors.isConnectionLoss(raised))
                #expect(PostgresErrors.isRetryable(raised))
            }
            for permanent in ["23505", "22012", "P0001"] {
                #expect(!PostgresErrors.isRetryable(await error(permanent)))
            }
        }
    }

    /// A transaction whose session the server ended fails with a connection loss.
    @Test func aLostConnectionIsRetryableAndOtherErrorsAreNot() async throws {
        try await PlatformTestEnvironment.withDatabase { database, logger in
            var lost: (any Error)?
            do {
                try await database.transaction { connection in
                    _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                    try await Task.sleep(for: .milliseconds(500))
                    try await connection.query("SELECT 1", logger: logger)
                }
            } catch {
                lost = error
            }
            let error = try #require(lost)
            #expect(PostgresErrors.isConnectionLoss(error))
            #expect(PostgresErrors.isRetryable(error))
            #expect(!PostgresErrors.isConflict(error))
        }
        #expect(!PostgresErrors.isRetryable(CancellationError()))
        #expect(PostgresErrors.sqlState(of: CancellationError()) == nil)
    }
}
