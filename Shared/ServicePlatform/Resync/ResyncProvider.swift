import Contracts
import PostgresNIO

/// One source of facts a service owns and re-announces on request (see ``ResyncResponder``).
public protocol ResyncProvider: Sendable {
    var source: ResyncSource { get }

    /// Calls `page` with the tenant's current facts of ``source``, at most `pageSize` at a time, in
    /// keyset order over immutable unique keys, reading on `connection` (the responder's
    /// transaction; each page sees the rows committed when it is read, and a row created meanwhile
    /// reaches consumers as a live event as well). Erased people's profiles are never re-announced;
    /// facts that outlive an erasure (enrollments, progress) are re-announced under a pseudonym only.
    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws
}

extension ResyncProvider {
    /// Keyset paging for ``facts(tenantId:pageSize:on:page:)``: `read` returns the rows after a key
    /// (`nil` for the first page); each non-empty page goes to `page` as `items(rows)`, and reading
    /// goes on after `key(last row)` until a page comes back empty.
    public func keysetPages<Row, Key>(
        read: (Key?) async throws -> [Row],
        key: (Row) -> Key,
        items: ([Row]) -> ResyncItems,
        page: (ResyncItems) async throws -> Void
    ) async throws {
        var after: Key?
        while true {
            let rows = try await read(after)
            guard let last = rows.last else { return }
            try await page(items(rows))
            after = key(last)
        }
    }
}
