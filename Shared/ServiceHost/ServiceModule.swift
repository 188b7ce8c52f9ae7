import Hummingbird
import ServiceHTTP
import ServiceLifecycle

/// The service half of a service: its composition root, `<Name>Module.swift` in every service.
///
/// A module is built once per process from the ``ServiceRuntime`` (database, producer, JWT
/// verification, logger) and its ``Options`` (the only test seam: clocks, intervals, whether the
/// consumers run). It wires its repositories, use cases, consumers, jobs and controllers, and
/// hands the host two things: its `/v1` routes and its background services. ``ServiceApplication``
/// does everything else the same way for every service.
public protocol ServiceModule: Sendable {
    /// What differs between production and tests; `Options()` is production.
    associatedtype Options: Sendable

    init(runtime: ServiceRuntime, options: Options) throws

    /// Registers the service's `/v1` routes (platform middleware and routes are already in place).
    func registerRoutes(on router: Router<AppRequestContext>)

    /// The consumers and jobs the host runs between the outbox relay and the HTTP server.
    func backgroundServices() throws -> [any Service]
}
