import PostgresNIO

extension ServiceDatabase {
    /// Runs `body` in a transaction holding the singleton lock `name` (see
    /// ``AdvisoryLocks/tryLock(singleton:on:logger:)``); nil, without running it, when another
    /// replica holds the lock.
    public func transaction<Result: Sendable>(
        singleton name: String,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result? {
        let logger = logger
        return try await transaction { connection -> Result? in
            guard try await AdvisoryLocks.tryLock(singleton: name, on: connection, logger: logger) else { return nil }
            return try await body(connection)
        }
    }
}
