import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServiceLifecycle
import ServicePlatform

/// Re-evaluates what time alone changes: rules entering or leaving their effective window, and
/// once per UTC day rules and segments with relative date criteria (`withinLastDays`,
/// `olderThanDays`), by opening jobs for them. One replica sweeps at a time (advisory lock).
package final class Sweeper: Service, Sendable {
    private let database: ServiceDatabase
    private let repositories: RulesRepositories
    private let clock: any ServiceClock
    private let interval: Duration
    private let signal: JobSignal
    private let logger: Logger
    /// Cuts the wait between sweeps short at shutdown.
    private let stop = JobSignal()

    package init(
        database: ServiceDatabase, repositories: RulesRepositories, clock: any ServiceClock, interval: Duration, signal: JobSignal, logger: Logger
    ) {
        self.database = database
        self.repositories = repositories
        self.clock = clock
        self.interval = interval
        self.signal = signal
        self.logger = logger
    }

    package func run() async throws {
        try await database.ready()
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    _ = try await sweep()
                } catch {
                    logger.error("Sweep failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                await stop.wait(timeout: interval)
            }
        } onGracefulShutdown: {
            self.stop.signal()
        }
    }

    /// One sweep; returns the jobs it opened.
    @discardableResult
    package func sweep() async throws -> [Job] {
        let now = clock.now()
        let today = CalendarDate(now).daysSinceEpoch
        let opened: [Job] = try await database.transaction { [self] connection in
            let rows = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('rules.sweep'))", logger: logger)
            var locked = false
            for try await value in rows.decode(Bool.self) { locked = value }
            guard locked else { return [] }
            var opened: [Job] = []
            for candidate in try await repositories.rules.activeForSweep(on: connection) {
                let rule = candidate.rule
                let inEffect = rule.isInEffect(at: now)
                let reason: String
                let enrollNew: Bool
                if inEffect != candidate.inEffect {
                    reason = "window"
                    enrollNew = inEffect && rule.backfill
                } else if inEffect, candidate.criteria?.isTimeRelative == true, (candidate.sweptDay ?? Int64.min) < today, !candidate.hasOpenJob {
                    reason = "sweep"
                    enrollNew = true
                } else {
                    continue
                }
                opened.append(
                    try await repositories.jobs.create(
                        tenantId: rule.tenantId, kind: .rule, targetId: rule.ruleId, targetVersion: rule.version, reason: reason,
                        enrollNew: enrollNew, enrollIgnored: reason == "window" && enrollNew, now: now, on: connection))
                try await repositories.rules.markSwept(tenantId: rule.tenantId, ruleId: rule.ruleId, inEffect: inEffect, day: today, on: connection)
            }
            for segment in try await repositories.segments.dueForSweep(day: today, on: connection) {
                opened.append(
                    try await repositories.jobs.create(
                        tenantId: segment.tenantId, kind: .segment, targetId: segment.segmentId, targetVersion: segment.version,
                        reason: "sweep", enrollNew: false, now: now, on: connection))
                try await repositories.segments.markSwept(tenantId: segment.tenantId, segmentId: segment.segmentId, day: today, on: connection)
            }
            return opened
        }
        if !opened.isEmpty {
            logger.info("Sweep opened jobs", metadata: ["count": "\(opened.count)"])
            signal.signal()
        }
        return opened
    }
}
