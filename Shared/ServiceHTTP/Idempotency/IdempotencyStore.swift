import Logging
import NIOCore
import PostgresNIO

/// The `idempotency_keys` table of the service's schema (created by the platform migrations; the
/// pool's `search_path` selects the schema, so the table name is bare).
///
/// Keys are scoped by tenant. A claim whose request never finished (the process died) is taken
/// over by an identical retry once it is older than `abandonedAfter`.
public struct IdempotencyStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public let abandonedAfter: Duration

    public init(client: PostgresClient, logger: Logger, abandonedAfter: Duration = .seconds(600)) {
        self.client = client
        self.logger = logger
        self.abandonedAfter = abandonedAfter
    }

    /// Claims `key` for a request with fingerprint `requestHash`, or reports who holds it.
    public func claim(tenantId: String, key: String, requestHash: String) async throws -> IdempotencyClaim {
        let abandonedSeconds = Self.seconds(abandonedAfter)
        // A concurrent release can delete the row between the two statements; then claim again.
        for _ in 0..<3 {
            let claimed = try await client.query(
                """
                INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES (\(tenantId), \(key), \(requestHash))
                ON CONFLICT (tenant_id, key) DO UPDATE SET created_at = now()
                    WHERE idempotency_keys.completed_at IS NULL
                    AND idempotency_keys.request_hash = EXCLUDED.request_hash
                    AND idempotency_keys.created_at < now() - make_interval(secs => \(abandonedSeconds))
                RETURNING 1
                """,
                logger: logger
            )
            if try await !claimed.collect().isEmpty {
                return .claimed
            }
            let rows = try await client.query(
                """
                SELECT request_hash, status, content_type, body FROM idempotency_keys
                WHERE tenant_id = \(tenantId) AND key = \(key)
                """,
                logger: logger
            )
            guard let row = try await rows.collect().first else { continue }
            let (storedHash, status, contentType, body) = try row.decode((String, Int32?, String?, ByteBuffer?).self)
            guard storedHash == requestHash else { return .mismatch }
            guard let status else { return .inProgress }
            return .completed(IdempotentResponse(status: Int(status), contentType: contentType, body: body ?? ByteBuffer()))
        }
        return .inProgress
    }

    /// Stores the response of a claimed key.
    public func complete(tenantId: String, key: String, response: IdempotentResponse) async throws {
        try await client.query(
            """
            UPDATE idempotency_keys
            SET status = \(Int32(response.status)), content_type = \(response.contentType), body = \(response.body), completed_at = now()
            WHERE tenant_id = \(tenantId) AND key = \(key) AND completed_at IS NULL
            """,
            logger: logger
        )
    }

    /// Gives up a claimed key so that a retry runs the request again.
    public func release(tenantId: String, key: String) async throws {
        try await client.query(
            "DELETE FROM idempotency_keys WHERE tenant_id = \(tenantId) AND key = \(key) AND completed_at IS NULL",
            logger: logger
        )
    }

    /// Deletes keys claimed longer than `age` ago (24 hours is the documented retention); returns
    /// how many were deleted.
    @discardableResult
    public func prune(olderThan age: Duration) async throws -> Int {
        let rows = try await client.query(
            """
            WITH deleted AS (
                DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => \(Self.seconds(age))) RETURNING 1
            )
            SELECT count(*) FROM deleted
            """,
            logger: logger
        )
        var count = 0
        for try await deleted in rows.decode(Int64.self) {
            count = Int(deleted)
        }
        return count
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
