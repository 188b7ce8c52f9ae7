import Contracts
import Foundation
import Logging
import Segments
import ServicePlatform

/// Re-evaluates what time alone changes: rules entering or leaving their effective window, and
/// once per UTC day rules and segments with relative date criteria (`withinLastDays`,
/// `olderThanDays`), by opening jobs for them. One replica sweeps at a time (the singleton lock
/// `rules.sweep`); ``RulesWorkerModule`` runs it on a ``PeriodicService``.
package struct Sweeper: Sendable {
    let database: ServiceDatabase
    let repositories: RulesRepositories
    let clock: any ServiceClock
    /// Wakes the job runner once the jobs a sweep opened are committed.
    let jobOpened: WakeupSignal
    let logger: Logger

    /// One sweep; returns the jobs it opened.
    @discardableResult
    package func sweep() async throws -> [Job] {
        let now = clock.now()
        let today = CalendarDate(now).daysSinceEpoch
        let opened =
            try await database.transaction(singleton: "rules.sweep") { [self] connection -> [Job] in
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
                    try await repositories.rules.markSwept(
                        tenantId: rule.tenantId, ruleId: rule.ruleId, inEffect: inEffect, day: today, on: connection)
                }
                for segment in try await repositories.segments.dueForSweep(day: today, on: connection) {
                    opened.append(
                        try await repositories.jobs.create(
                            tenantId: segment.tenantId, kind: .segment, targetId: segment.segmentId, targetVersion: segment.version,
                            reason: "sweep", enrollNew: false, now: now, on: connection))
                    try await repositories.segments.markSwept(tenantId: segment.tenantId, segmentId: segment.segmentId, day: today, on: connection)
                }
                return opened
            } ?? []
        if !opened.isEmpty {
            logger.info("Sweep opened jobs", metadata: ["count": "\(opened.count)"])
            jobOpened.signal()
        }
        return opened
    }
}
