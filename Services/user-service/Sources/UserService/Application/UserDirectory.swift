import Contracts
import PostgresNIO
import ServicePlatform

/// The directory's use cases: the reads of the HTTP API, its writes that each run in one
/// transaction changing the users and enqueueing their events together, and ``save(_:on:)`` for
/// the consumer's batches.
///
/// A write that loses a race for a new `userId` (``UserWriteConflict``) or a deadlock is run again,
/// a few times, on the winner's state.
package struct UserDirectory: Sendable {
    package let database: ServiceDatabase
    package let users: UserRepository
    package let clock: any ServiceClock
    package let eventSource: String
    /// Import rows per read + write round (multi-row statements of this many rows).
    package var importChunkSize = 2_000

    package func find(_ key: UserKey) async throws -> UserRecord? {
        try await users.find(key, on: database.client)
    }

    package func list(tenantId: String, filter: UserListFilter, after userId: String?, limit: Int) async throws -> [UserRecord] {
        try await database.client.withConnection { connection in
            try await users.list(tenantId: tenantId, filter: filter, after: userId, limit: limit, on: connection)
        }
    }

    /// Applies one command; throws ``UserCommandError`` when it cannot apply (nothing is written).
    package func write(_ command: UserCommand, to key: UserKey, context: UserChangeContext) async throws -> UserWriteResult {
        try await retryingConflicts {
            try await database.transaction { connection in
                var changes = UserChangeSet(eventSource: eventSource)
                try await users.load([key], into: &changes, on: connection)
                let outcome = try changes.apply(command, to: key, context: context)
                try await save(&changes, on: connection)
                return UserWriteResult(record: changes.records[key], outcome: outcome)
            }
        }
    }

    /// Applies import rows in file order, in one transaction, in chunks of ``importChunkSize``
    /// rows (one read, one upsert, one history and one outbox insert per chunk). A row that
    /// cannot apply is rejected on its own; the others still apply. Only one chunk's users are
    /// held in memory: a user seen again in a later chunk is read again.
    package func importRows(_ rows: [ImportRow], tenantId: String, context: UserChangeContext) async throws -> [ImportRowResult] {
        try await retryingConflicts {
            try await database.transaction { connection in
                var changes = UserChangeSet(eventSource: eventSource)
                var results: [ImportRowResult] = []
                results.reserveCapacity(rows.count)
                var start = rows.startIndex
                while start < rows.endIndex {
                    let chunk = rows[start..<min(start + importChunkSize, rows.endIndex)]
                    start = chunk.endIndex
                    let keys = chunk.compactMap { row in row.userId.map { UserKey(tenantId: tenantId, userId: $0) } }
                    try await users.load(keys, into: &changes, on: connection)
                    for row in chunk {
                        results.append(try apply(row, tenantId: tenantId, to: &changes, context: context))
                    }
                    try await save(&changes, on: connection)
                    changes.forgetSaved()
                }
                return results
            }
        }
    }

    /// Writes everything `changes` has pending in the caller's transaction, its events to the
    /// outbox, then marks it saved.
    package func save(_ changes: inout UserChangeSet, on connection: PostgresConnection) async throws {
        try await users.save(changes, on: connection)
        try await Outbox.enqueue(changes.events.map { OutboxEvent(topic: .users, event: $0) }, on: connection, logger: database.logger)
        changes.markSaved()
    }

    private func apply(
        _ row: ImportRow, tenantId: String, to changes: inout UserChangeSet, context: UserChangeContext
    ) throws
        -> ImportRowResult
    {
        guard row.errors.isEmpty, let userId = row.userId else {
            return ImportRowResult(row: row.number, userId: row.userId, result: .rejected, errors: row.errors)
        }
        do {
            let outcome = try changes.apply(.upsertPatch(row.patch), to: UserKey(tenantId: tenantId, userId: userId), context: context)
            return ImportRowResult(row: row.number, userId: userId, result: ImportRowResult.Result(outcome), errors: nil)
        } catch let error as UserCommandError {
            return ImportRowResult(row: row.number, userId: userId, result: .rejected, errors: ImportRowResult.errors(for: error))
        }
    }

    /// Runs `body` again (at most three times in all) when it lost a write race or lost to a concurrent
    /// transaction (deadlock, serialization failure).
    private func retryingConflicts<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch  where attempt < 3 && (error is UserWriteConflict || PostgresErrors.isConflict(error)) {
                database.logger.debug("User write conflicted; retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                attempt += 1
            }
        }
    }
}
