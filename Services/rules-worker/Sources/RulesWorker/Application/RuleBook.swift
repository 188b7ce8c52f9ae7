import Contracts
import Foundation
import Segments
import ServicePlatform

/// The admin operations on rules: each change and the job it opens commit together.
package struct RuleBook: Sendable {
    let database: ServiceDatabase
    let repositories: RulesRepositories
    let clock: any ServiceClock
    /// Wakes the job runner when a change opens a job.
    let jobOpened: WakeupSignal

    /// Pairs per action in a preview's sample.
    package static let sampleSize = 20

    package func create(tenantId: String, definition: RuleDefinition) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        let now = clock.now()
        let rule = Rule(tenantId: tenantId, ruleId: UUID(), definition: definition, status: .draft, version: 1, createdAt: now, updatedAt: now)
        try await database.whenReadyTransaction { connection in try await repositories.rules.save(rule, on: connection) }
        return (rule, false, nil)
    }

    /// Replaces a rule's definition. A change bumps the version; on an active rule it opens a job
    /// that applies the new definition to every user (`onUnmatch` for those no longer matching).
    package func update(tenantId: String, ruleId: UUID, definition: RuleDefinition) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        try await change(tenantId: tenantId, ruleId: ruleId) { rule in
            guard rule.definition != definition else { return nil }
            var updated = rule
            updated.definition = definition
            return (updated, rule.status == .active ? "update" : nil)
        }
    }

    /// Activates a draft or paused rule and opens its backfill (or baseline) job.
    package func activate(tenantId: String, ruleId: UUID) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        try await change(tenantId: tenantId, ruleId: ruleId) { rule in
            guard rule.status != .active else { return nil }
            var activated = rule
            activated.status = .active
            return (activated, "activate")
        }
    }

    /// Pauses an active rule; its job applies `onUnmatch` to the users it enrolled.
    package func pause(tenantId: String, ruleId: UUID) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        try await change(tenantId: tenantId, ruleId: ruleId) { rule in
            switch rule.status {
            case .paused: return nil
            case .draft: throw RulesError.draftCannotBePaused
            case .active:
                var paused = rule
                paused.status = .paused
                return (paused, "pause")
            }
        }
    }

    /// Applies `change` to the locked rule: `nil` means nothing changes; otherwise the new rule is
    /// saved with the next version and, when a reason is given, a job is opened for it.
    private func change(
        tenantId: String, ruleId: UUID, _ change: @escaping @Sendable (Rule) throws -> (rule: Rule, jobReason: String?)?
    ) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        let now = clock.now()
        let (changed, opened): ((rule: Rule, inEffect: Bool, job: Job?), Bool) = try await database.whenReadyTransaction { connection in
            guard let current = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, forUpdate: true, on: connection) else {
                throw RulesError.ruleNotFound(ruleId)
            }
            guard let changed = try change(current) else {
                let job = try await repositories.jobs.latest(tenantId: tenantId, targetId: ruleId, on: connection)
                return ((current, current.isInEffect(at: now), job), false)
            }
            var rule = changed.rule
            let reason = changed.jobReason
            rule.version = current.version + 1
            rule.updatedAt = now
            try await repositories.rules.save(rule, on: connection)
            var job: Job?
            if let reason {
                let inEffect = rule.isInEffect(at: now)
                job = try await repositories.jobs.create(
                    tenantId: tenantId, kind: .rule, targetId: ruleId, targetVersion: rule.version, reason: reason,
                    enrollNew: inEffect && rule.backfill, enrollIgnored: inEffect && rule.backfill, now: now, on: connection)
                try await repositories.rules.markSwept(
                    tenantId: tenantId, ruleId: ruleId, inEffect: inEffect, day: CalendarDate(now).daysSinceEpoch, on: connection)
            }
            return ((rule, rule.isInEffect(at: now), job), job != nil)
        }
        if opened { jobOpened.signal() }
        return changed
    }

    package func rule(tenantId: String, ruleId: UUID) async throws -> (rule: Rule, inEffect: Bool, job: Job?) {
        let now = clock.now()
        return try await database.whenReady { connection in
            guard let rule = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, on: connection) else {
                throw RulesError.ruleNotFound(ruleId)
            }
            let job = try await repositories.jobs.latest(tenantId: tenantId, targetId: ruleId, on: connection)
            return (rule, rule.isInEffect(at: now), job)
        }
    }

    /// A tenant's rules ordered by (name, id) after the given position, each with whether it is in effect now.
    package func list(tenantId: String, after: (name: String, id: UUID)?, limit: Int) async throws -> [(rule: Rule, inEffect: Bool)] {
        let now = clock.now()
        return try await database.whenReady { connection in
            try await repositories.rules.list(tenantId: tenantId, after: after, limit: limit, on: connection).map { ($0, $0.isInEffect(at: now)) }
        }
    }

    /// The diff activating the rule now (with `proposed` as its definition when given) would cause.
    package func preview(tenantId: String, ruleId: UUID, proposed: RuleDefinition?) async throws -> RulePreview {
        let now = clock.now()
        return try await database.whenReady { connection in
            guard let current = try await repositories.rules.find(tenantId: tenantId, ruleId: ruleId, on: connection) else {
                throw RulesError.ruleNotFound(ruleId)
            }
            var rule = current
            rule.definition = proposed ?? current.definition
            rule.status = .active
            guard let criteria = try await repositories.rules.criteria(of: rule, on: connection) else {
                throw RulesError.ruleSegmentMissing
            }
            let inEffect = rule.isInEffect(at: now)
            let query = ReconcileQuery(
                rule: rule, criteria: CompiledCriteria(criteria), inEffect: inEffect, enrollNew: inEffect && rule.backfill,
                enrollIgnored: inEffect && rule.backfill, today: CalendarDate(now))
            let summary = try await repositories.matches.summary(query, sampleSize: Self.sampleSize, on: connection)
            var preview = RulePreview(
                ruleId: ruleId.lowercasedString, version: current.version, evaluated: summary.evaluated, matching: summary.matching,
                inEffect: inEffect)
            for total in summary.totals {
                guard let action = MatchAction(rawValue: total.action) else { continue }
                preview.update(action: action, policy: rule.onUnmatch) {
                    $0.count = total.pairs
                    $0.users = total.users
                }
            }
            for sample in summary.samples {
                guard let action = MatchAction(rawValue: sample.action) else { continue }
                preview.update(action: action, policy: rule.onUnmatch) {
                    $0.sample.append(RulePreview.Pair(userId: sample.userId, courseId: sample.courseId))
                }
            }
            return preview
        }
    }
}
