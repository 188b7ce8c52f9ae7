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
