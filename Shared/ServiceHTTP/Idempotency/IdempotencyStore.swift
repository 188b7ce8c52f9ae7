import Logging
import NIOCore
import PostgresNIO
import ServicePlatform

/// The `idempotency_keys` table of the service's schema (created by the platform migrations; the
/// pool's `search_path` selects the schema, so the table name is bare).
///
/// Keys are scoped by tenant. A claim whose request never finished (the process died) is taken
/// over by an identical retry once it is older than `abandonedAfter`. Keys are deleted once older
/// than the retention (``pruning(every:retention:database:)``, 24 hours by default), and at once
/// when the user their answer concerns is erased (``purge(_:on:logger:)``).
public struct IdempotencyStore: Sendable {
    /// Rows deleted per statement when pruning, so no statement holds many locks for long.
    static var pruneBatchSize: Int { 1_000 }

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

    /// Stores the response of a claimed key; `subjectUserId` names the user it concerns (its rows
    /// go when that user is erased).
    public func complete(tenantId: String, key: String, response: IdempotentResponse, subjectUserId: String? = nil) async throws {
        try await client.query(
            """
            UPDATE idempotency_keys
            SET status = \(Int32(response.status)), content_type = \(response.contentType), body = \(response.body),
                subject_user_id = \(subjectUserId), completed_at = now()
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

    /// Deletes keys claimed longer than `age` ago (24 hours is the documented retention), in
    /// batches of ``pruneBatchSize``; returns how many were deleted.
    @discardableResult
    public func prune(olderThan age: Duration) async throws -> Int {
        var total = 0
        while true {
            let rows = try await client.query(
                """
                WITH deleted AS (
                    DELETE FROM idempotency_keys WHERE ctid IN (
                        SELECT ctid FROM idempotency_keys
                        WHERE created_at < now() - make_interval(secs => \(Self.seconds(age))) LIMIT \(Self.pruneBatchSize)
                    )
                    RETURNING 1
                )
                SELECT count(*) FROM deleted
                """,
                logger: logger
            )
            var count = 0
            for try await deleted in rows.decode(Int64.self) {
                count = Int(deleted)
            }
            total += count
            if count < Self.pruneBatchSize { return total }
        }
    }

    /// The background service that prunes keys older than `retention` every `interval` (each
    /// replica runs one; concurrent prunes only share the work).
    public func pruning(every interval: Duration, retention: Duration, database: ServiceDatabase) -> PeriodicService {
        PeriodicService(name: "Idempotency-Key prune", interval: interval, database: database, logger: logger) {
            let deleted = try await prune(olderThan: retention)
            if deleted > 0 { logger.debug("Pruned Idempotency-Key answers", metadata: ["count": "\(deleted)"]) }
        }
    }

    /// Deletes the keys whose stored answer concerns one of `users` (tenant id, user id), inside
    /// the caller's transaction (the users' erasure).
    public static func purge(_ users: [(tenantId: String, userId: String)], on connection: PostgresConnection, logger: Logger) async throws {
        guard !users.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM idempotency_keys
            WHERE (tenant_id, subject_user_id) IN (SELECT * FROM unnest(\(users.map(\.tenantId))::text[], \(users.map(\.userId))::text[]))
            """,
            logger: logger
        )
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
