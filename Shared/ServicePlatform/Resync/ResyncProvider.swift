import Contracts
import PostgresNIO

/// One source of facts a service owns and re-announces on request (see ``ResyncResponder``).
public protocol ResyncProvider: Sendable {
    var source: ResyncSource { get }

    /// Calls `page` with the tenant's current facts of ``source``, at most `pageSize` at a time, in a
    /// stable order, reading on `connection` (the responder's transaction, so one consistent state).
    /// Facts of erased users are left out: re-announcing them would undo their erasure downstream.
    func facts(
        tenantId: String,
        pageSize: Int,
        on connection: PostgresConnection,
        page: (ResyncItems) async throws -> Void
    ) async throws
}
