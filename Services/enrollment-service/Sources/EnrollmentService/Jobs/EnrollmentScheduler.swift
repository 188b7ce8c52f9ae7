import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import ServicePlatform

/// The time-driven part of the lifecycle, run every `interval` inside the service:
/// active enrollments past `expiresAt` (from the course's `accessDays`) become `expired`, and
/// completed enrollments whose certification lapsed (`recertifyEveryDays`) get their next cycle.
///
/// Safe with several replicas: each tick runs in a transaction holding a transaction-scoped
/// advisory lock (`pg_try_advisory_xact_lock`); a replica that does not get it skips the tick. The
/// work itself is idempotent too (the next cycle is unique per enrollment and cycle).
package final class EnrollmentScheduler: Service, Sendable {
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

    private let database: ServiceDatabase
    private let workflow: EnrollmentWorkflow
    private let enrollments: EnrollmentRepository
    private let clock: any ServiceClock
    private let interval: Duration
    private let logger: Logger

    package init(
        database: ServiceDatabase,
        workflow: EnrollmentWorkflow,
        enrollments: EnrollmentRepository,
        clock: any ServiceClock,
        interval: Duration,
        logger: Logger
    ) {
        self.database = database
        self.workflow = workflow
        self.enrollments = enrollments
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// Ticks every `interval` until graceful shutdown, which also interrupts the wait (and a tick
    /// in progress, whose transaction then rolls back: the next tick redoes it).
    package func run() async throws {
        try await database.ready()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await self.tick()
                    if report.expired + report.cyclesOpened > 0 {
                        self.logger.info("Scheduler tick", metadata: ["expired": "\(report.expired)", "cyclesOpened": "\(report.cyclesOpened)"])
                    }
                } catch  where !Task.isCancelled {
                    self.logger.error("Scheduler tick failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try await Task.sleep(for: self.interval)
            }
        }
    }

    /// Does all due work (in batches of 1,000, one transaction each) unless another replica is doing it.
    @discardableResult
    package func tick() async throws -> Report {
        var total = Report(ran: false, expired: 0, cyclesOpened: 0)
        while true {
            let report = try await database.transaction { [self] connection in
                try await runBatch(on: connection)
            }
            guard report.ran else { return total }
            total.ran = true
            total.expired += report.expired
            total.cyclesOpened += report.cyclesOpened
            if report.expired < Self.batchSize && report.cyclesOpened < Self.batchSize { return total }
        }
    }

    private func runBatch(on connection: PostgresConnection) async throws -> Report {
        let locked = try await connection.query(
            "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.enrollment-scheduler'))",
            logger: logger
        )
        var acquired = false
        for try await value in locked.decode(Bool.self) { acquired = value }
        guard acquired else { return Report(ran: false, expired: 0, cyclesOpened: 0) }

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
