import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceHTTP
import ServicePlatform

/// The `users` tables. Writes take whole ``UserChangeSet``s and use multi-row statements only:
/// one read of all the users involved, one upsert, one history insert (the caller adds one outbox
/// insert). Runs on the caller's connection or transaction; opens none itself.
package struct UserRepository: Sendable {
    package let logger: Logger

    /// Columns in the order ``decode(_:)`` reads them.
    private static let columns = """
        tenant_id, user_id, email, given_name, family_name, job_role, department, location, hire_date::text, manager_id,
        attributes::text, status, version, source_version, created_at, updated_at
        """

    // MARK: Reading

    /// Reads the users of `keys` that `changes` does not hold yet, row-locked until the
    /// transaction ends, and adds them to `changes`.
    package func load(_ keys: some Sequence<UserKey>, into changes: inout UserChangeSet, on connection: PostgresConnection) async throws {
        let missing = changes.keysToLoad(among: keys)
        guard !missing.isEmpty else { return }
        changes.absorb(try await lock(missing, on: connection), asked: missing)
    }

    /// Reads and row-locks the existing users among `keys`, locking in key order so that
    /// concurrent writers of overlapping sets wait for each other instead of deadlocking.
    package func lock(_ keys: [UserKey], on connection: PostgresConnection) async throws -> [UserRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM users
            WHERE (tenant_id, user_id) IN (SELECT * FROM unnest(\(keys.map(\.tenantId))::text[], \(keys.map(\.userId))::text[]))
            ORDER BY tenant_id, user_id
            FOR UPDATE
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    /// One user of a tenant (tombstones included), or `nil`.
    package func find(_ key: UserKey, on client: PostgresClient) async throws -> UserRecord? {
        let rows = try await client.query(
            "SELECT \(unescaped: Self.columns) FROM users WHERE tenant_id = \(key.tenantId) AND user_id = \(key.userId)",
            logger: logger
        )
        return try await decode(rows).first
    }

    /// Up to `limit` users of a tenant matching `filter`, ordered by `userId`, after `afterUserId`
    /// (also the pages of a resync, with the default filter: every user not erased).
    package func list(
        tenantId: String,
        filter: UserListFilter,
        after afterUserId: String?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws
        -> [UserRecord]
    {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM users
            WHERE tenant_id = \(tenantId) AND status = ANY(\(filter.statuses.map(\.rawValue))::text[])
              AND (\(filter.department)::text IS NULL OR department = \(filter.department))
              AND (\(filter.location)::text IS NULL OR location = \(filter.location))
              AND (\(filter.jobRole)::text IS NULL OR job_role = \(filter.jobRole))
              AND (\(afterUserId)::text IS NULL OR user_id > \(afterUserId))
            ORDER BY user_id
            LIMIT \(limit)
            """,
            logger: logger
        )
        return try await decode(rows)
    }

    // MARK: Writing

    /// Writes the rows and history entries `changes` has pending (not its events).
    ///
    /// Throws ``UserWriteConflict`` when a user believed new was created meanwhile by another
    /// transaction; the caller's transaction must then be rolled back and run again.
    package func save(_ changes: UserChangeSet, on connection: PostgresConnection) async throws {
        let rows = changes.pendingRows
        if !rows.isEmpty { try await upsert(rows, on: connection) }
        if !changes.history.isEmpty { try await insertHistory(changes.history, on: connection) }
        if !changes.erasedKeys.isEmpty {
            try await wipeHistory(of: changes.erasedKeys, on: connection)
            // Stored Idempotency-Key answers about the user hold its profile too.
            try await IdempotencyStore.purge(changes.erasedKeys.map { ($0.tenantId, $0.userId) }, on: connection, logger: logger)
        }
    }

    /// One statement for all rows: existing users are updated (they are locked by ``lock(_:on:)``),
    /// new ones inserted unless another transaction inserted them first (then the count differs).
    /// The rows travel as one `jsonb` array.
    private func upsert(_ rows: [(record: UserRecord, isNew: Bool)], on connection: PostgresConnection) async throws {
        let json = try DatabaseJSON.encode(rows.map { UserRow($0.record, isNew: $0.isNew) })
        let result = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM jsonb_to_recordset(\(json)::jsonb) AS r(
                    tenant_id text, user_id text, email text, given_name text, family_name text, job_role text, department text,
                    location text, hire_date date, manager_id text, attributes jsonb, status text, version bigint, source_version bigint,
                    created_at timestamptz, updated_at timestamptz, is_new boolean)
            ),
            updated AS (
                UPDATE users u SET
                    email = i.email, given_name = i.given_name, family_name = i.family_name, job_role = i.job_role,
                    department = i.department, location = i.location, hire_date = i.hire_date, manager_id = i.manager_id,
                    attributes = i.attributes, status = i.status, version = i.version, source_version = i.source_version,
                    updated_at = i.updated_at
                FROM input i
                WHERE NOT i.is_new AND u.tenant_id = i.tenant_id AND u.user_id = i.user_id
                RETURNING 1
            ),
            inserted AS (
                INSERT INTO users (
                    tenant_id, user_id, email, given_name, family_name, job_role, department, location, hire_date, manager_id,
                    attributes, status, version, source_version, created_at, updated_at)
                SELECT tenant_id, user_id, email, given_name, family_name, job_role, department, location, hire_date, manager_id,
                       attributes, status, version, source_version, created_at, updated_at
                FROM input WHERE is_new
                ON CONFLICT (tenant_id, user_id) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM updated) + (SELECT count(*) FROM inserted)
            """,
            logger: logger
        )
        var written = 0
        for try await count in result.decode(Int.self) { written = count }
        guard written == rows.count else { throw UserWriteConflict(expected: rows.count, written: written) }
    }

    /// One statement for all entries, carried as one `jsonb` array.
    private func insertHistory(_ entries: [UserHistoryEntry], on connection: PostgresConnection) async throws {
        let json = try DatabaseJSON.encode(entries.map(UserHistoryRow.init))
        try await connection.query(
            """
            INSERT INTO user_history (
                tenant_id, user_id, version, action, changed_fields, changes, reason, actor, origin, correlation_id, occurred_at)
            SELECT h.tenant_id, h.user_id, h.version, h.action, h.changed_fields, h.changes, h.reason, h.actor, h.origin, h.correlation_id,
                   h.occurred_at
            FROM jsonb_to_recordset(\(json)::jsonb) AS h(
                tenant_id text, user_id text, version bigint, action text, changed_fields text[], changes jsonb, reason text,
                actor text, origin text, correlation_id text, occurred_at timestamptz)
            """,
            logger: logger
        )
    }

    /// Erase: earlier history entries keep who/what/when and the field names, not the values or reasons.
    private func wipeHistory(of keys: [UserKey], on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE user_history SET changes = NULL, reason = NULL
            WHERE (tenant_id, user_id) IN (SELECT * FROM unnest(\(keys.map(\.tenantId))::text[], \(keys.map(\.userId))::text[]))
              AND action <> 'erased' AND (changes IS NOT NULL OR reason IS NOT NULL)
            """,
            logger: logger
        )
    }

    // MARK: Decoding

    private func decode(_ rows: PostgresRowSequence) async throws -> [UserRecord] {
        var records: [UserRecord] = []
        for try await row in rows.decode(
            (String, String, String?, String?, String?, String?, String?, String?, String?, String?, String, String, Int64, Int64?, Date, Date)
                .self
        ) {
            let (
                tenantId, userId, email, givenName, familyName, jobRole, department, location, hireDate, managerId, attributes, status,
                version, sourceVersion, createdAt, updatedAt
            ) = row
            let key = UserKey(tenantId: tenantId, userId: userId)
            guard let userStatus = UserStatus(rawValue: status) else { throw UserRowError(key: key, column: "status") }
            var profile: UserProfile?
            if userStatus != .erased {
                guard let email, let givenName, let familyName else { throw UserRowError(key: key, column: "email") }
                let values = try LMSJSON.decode([String: AttributeValue].self, from: Array(attributes.utf8))
                profile = UserProfile(
                    email: email,
                    givenName: givenName,
                    familyName: familyName,
                    jobRole: jobRole,
                    department: department,
                    location: location,
                    hireDate: hireDate.flatMap { CalendarDate($0) },
                    managerId: managerId,
                    attributes: values
                )
            }
            records.append(
                UserRecord(
                    key: key,
                    profile: profile,
                    status: userStatus,
                    version: version,
                    sourceVersion: sourceVersion,
                    createdAt: createdAt,
                    updatedAt: updatedAt
                )
            )
        }
        return records
    }
}
