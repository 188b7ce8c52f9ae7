import Foundation
import Logging
import PostgresNIO
import ServicePlatform
import TestSupport

/// A throwaway schema on the PostgreSQL named by `LMS_TEST_DATABASE_URL` (required: these tests
/// fail rather than skip without it), holding the platform's `idempotency_keys` table (as its
/// migrations 1 and 2 leave it).
enum TestDatabase {
    static let logger = Logger(label: "service-http-tests")

    static func withSchema<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let schema = "service_http_test_\(UUID().uuidString.prefix(8).lowercased())"
        let configuration = try ServiceHarness.testDatabaseURL().clientConfiguration(schema: schema)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                try await client.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
                try await client.query(
                    """
                    CREATE TABLE idempotency_keys (
                        tenant_id text NOT NULL, key text NOT NULL, request_hash text NOT NULL,
                        status int, content_type text, body bytea, subject_user_id text,
                        created_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz,
                        PRIMARY KEY (tenant_id, key)
                    )
                    """,
                    logger: logger
                )
                let result = try await body(client)
                try await client.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                group.cancelAll()
                return result
            } catch {
                _ = try? await client.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                group.cancelAll()
                throw error
            }
        }
    }
}
