import PostgresNIO
import ServicePlatform

extension ServiceDatabase {
    /// For tests of write races: runs `body` in a transaction and holds that transaction open
    /// while `meanwhile` runs (started 0.5 s later, given 0.5 s to reach what it waits for), then
    /// commits and returns what `meanwhile` returned.
    @discardableResult
    public func whileTransactionIsOpen<R: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Void,
        meanwhile: @escaping @Sendable () async throws -> R
    ) async throws -> R {
        let release = AsyncStream<Void>.makeStream()
        let holding = Task {
            try await transaction { connection in
                try await body(connection)
                for await _ in release.stream {}  // holds the transaction open until released
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        let other = Task { try await meanwhile() }
        try await Task.sleep(for: .milliseconds(500))
        release.continuation.finish()
        try await holding.value
        return try await other.value
    }
}
