import PostgresNIO
import ServicePlatform

extension ServiceDatabase {
    /// Runs `body` on a pooled connection once the schema is migrated (requests can arrive while
    /// migrations still run).
    func whenReady<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await ready()
        return try await client.withConnection { connection in try await body(connection) }
    }

    /// Runs `body` in a transaction once the schema is migrated.
    func whenReadyTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await ready()
        return try await transaction { connection in try await body(connection) }
    }
}
