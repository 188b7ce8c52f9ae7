import Contracts
import Logging
import PostgresNIO
import ServiceLifecycle
import ServicePlatform

/// The time-driven part of the lifecycle, run every `interval` inside the service (on the shared
/// `PeriodicService`): active enrollments past `expiresAt` (from the course's `accessDays`) become
/// `expired`, and completed enrollments whose certification lapsed (`recertifyEveryDays`) get
/// their next cycle.
///
/// Safe with several replicas: each batch runs in a transaction holding the singleton lock
/// `enrollment-scheduler` (``ServiceDatabase/transaction(singleton:_:)``); a replica that does not
/// get it skips the tick. The work itself is idempotent too (the next cycle is unique per
/// enrollment and cycle).
package struct EnrollmentScheduler: Service {
    /// What one tick did (`ran` is false when another replica held the lock).
    package struct Report: Sendable, Equatable {
        package var ran: Bool
        package var expired: Int
        package var cyclesOpened: Int

        package init(ran: Bool, expired: Int, cyclesOpened: Int) {
            self.ran = ran
            self.expired = expired
            self.cyclesOpened = cyclesOpened
        }
    }

    static let batchSize = 1_000
    /// The lock that lets one replica work at a time.
    static let singleton = "enrollment-scheduler"

    let database: ServiceDatabase
    let workflow: EnrollmentWorkflow
    let enrollments: EnrollmentRepository
    let clock: any ServiceClock
    let interval: Duration
    let logger: Logger

    /// Ticks every `interval` until graceful shutdown, which also interrupts the wait (and a tick
    /// in progress, whose transaction then rolls back: the next tick redoes it).
    package func run() async throws {
        try await PeriodicService(name: "Scheduler tick", interval: interval, database: database, logger: logger) {
            let report = try await tick()
            if report.expired + report.cyclesOpened > 0 {
                logger.info("Scheduler tick", metadata: ["expired": "\(report.expired)", "cyclesOpened": "\(report.cyclesOpened)"])
            }
        }.run()
    }

    /// Does all due work (in batches of 1,000, one transaction each) unless another replica is doing it.
    @discardableResult
    package func tick() async throws -> Report {
        var total = Report(ran: false, expired: 0, cyclesOpened: 0)
        while true {
            let batch = try await database.transaction(singleton: Self.singleton) { [self] connection in
                try await runBatch(on: connection)
            }
            guard let report = batch else { return total }
            total.ran = true
            total.expired += report.expired
            total.cyclesOpened += report.cyclesOpened
            if report.expired < Self.batchSize && report.cyclesOpened < Self.batchSize { return total }
        }
    }

    private func runBatch(on connection: PostgresConnection) async throws -> Report {
        let now = clock.now()
        let actions = try await enrollments.expiring(at: now, limit: Self.batchSize, on: connection).map { tenant, id in
            LifecycleAction(tenantId: tenant, enrollmentId: id, command: .expire, actor: "system", reason: "access period ended")
        }
        _ = try await workflow.apply(actions, on: connection)

        let lapsed = try await enrollments.lapsedCertifications(at: now, limit: Self.batchSize, on: connection)
        let opened = try await workflow.openNextCycles(after: lapsed, on: connection)
        return Report(ran: true, expired: actions.count, cyclesOpened: opened.count)
    }
}
