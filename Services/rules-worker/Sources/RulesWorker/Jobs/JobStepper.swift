import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServicePlatform

/// Runs jobs one step at a time: each step evaluates one page of users for the job's rule or
/// segment, writes the decisions and their events, and stores the job's progress, all in one
/// transaction. A crash loses at most the step in flight, which the next step redoes.
package struct JobStepper: Sendable {
    package let repositories: RulesRepositories
    package let options: RulesWorkerModule.Options
    package let source: String
    package let logger: Logger

    /// Runs one step of the oldest open job; `false` when no job is open.
    package func step(_ database: ServiceDatabase) async throws -> Bool {
        try await database.transaction { connection in
            guard var job = try await repositories.jobs.claimNext(on: connection) else { return false }
            let now = options.clock.now()
            let page = try await repositories.jobs.page(tenantId: job.tenantId, after: job.cursor, limit: options.jobPageSize, on: connection)
            if job.status == .pending {
                job.status = .running
                job.startedAt = now
            }
            var events: [OutboxEvent] = []
            if let last = page.last {
                let outcome: (counts: JobCounts, events: [OutboxEvent])
                switch job.kind {
                case .rule: outcome = try await ruleStep(job, upTo: last, now: now, on: connection)
                case .segment: outcome = try await segmentStep(job, upTo: last, now: now, on: connection)
                }
                job.counts = job.counts + outcome.counts
                events = outcome.events
                job.cursor = last
                job.processed += page.count
            }
            if page.count < options.jobPageSize {
                job.status = .completed
                job.finishedAt = now
            }
            job.updatedAt = now
            try await Outbox.enqueue(events, on: connection, logger: logger)
            try await repositories.jobs.save(job, on: connection)
            try await options.beforeJobStepCommit()
            if job.status == .completed {
                logger.info(
                    "Job completed",
                    metadata: ["job": "\(job.jobId)", "kind": "\(job.kind.rawValue)", "target": "\(job.targetId)", "processed": "\(job.processed)"])
            }
            return true
        }
    }

    private func ruleStep(
        _ job: Job, upTo last: String, now: Date, on connection: PostgresConnection
    ) async throws -> (counts: JobCounts, events: [OutboxEvent]) {
        guard let rule = try await repositories.rules.find(tenantId: job.tenantId, ruleId: job.targetId, on: connection),
            let criteria = try await repositories.rules.criteria(of: rule, on: connection)
        else { return (JobCounts(), []) }
        let compiled = CompiledCriteria(criteria)
        let today = CalendarDate(now)
        let query = ReconcileQuery(
            rule: rule, criteria: compiled, inEffect: rule.isInEffect(at: now), enrollNew: job.enrollNew, enrollIgnored: job.enrollIgnored,
            today: today)
        let decisions = try await repositories.matches.decisions(query, after: job.cursor, upTo: last, on: connection)
        let explained = Set(decisions.filter { $0.action == .enroll || $0.action == .unmatch }.map(\.userId))
        let values = try await repositories.users.values(tenantId: rule.tenantId, userIds: Array(explained), on: connection)
        var evaluations: [String: CriteriaEvaluation] = [:]
        for user in explained {
            guard let subject = values[user] else { continue }
            evaluations[user] = compiled.evaluate(subject, today: today)
        }
        let commands = RuleCommands(source: source, now: now)
        var counts = JobCounts()
        var records: [MatchRecord] = []
        var events: [OutboxEvent] = []
        for decision in decisions {
            let evaluation = evaluations[decision.userId]
            if decision.action == .enroll, evaluation?.matched != true {
                logger.error("Criteria SQL and evaluator disagree", metadata: ["rule": "\(rule.ruleId)", "user": "\(decision.userId)"])
            }
            let outcome = try commands.decision(
                decision.action, rule: rule, userId: decision.userId, courseId: decision.courseId, seq: decision.seq, evaluation: evaluation)
            records.append(outcome.record)
            if let event = outcome.event { events.append(event) }
            counts = counts + outcome.counts
        }
        try await repositories.matches.saveMatches(records, now: now, on: connection)
        return (counts, events)
    }

    private func segmentStep(
        _ job: Job, upTo last: String, now: Date, on connection: PostgresConnection
    ) async throws -> (counts: JobCounts, events: [OutboxEvent]) {
        guard let segment = try await repositories.segments.find(tenantId: job.tenantId, segmentId: job.targetId, on: connection) else {
            return (JobCounts(), [])
        }
        let query = MembershipQuery(segment: segment, criteria: CompiledCriteria(segment.criteria), today: CalendarDate(now))
        let commands = RuleCommands(source: source, now: now)
        var counts = JobCounts()
        var records: [MembershipRecord] = []
        var events: [OutboxEvent] = []
        for (user, member, version) in try await repositories.matches.membershipChanges(query, after: job.cursor, upTo: last, on: connection) {
            let record = MembershipRecord(
                tenantId: segment.tenantId, segmentId: segment.segmentId, userId: user, member: member, version: version + 1)
            records.append(record)
            events.append(
                try commands.membership(tenantId: record.tenantId, segmentId: record.segmentId, userId: user, member: member, version: record.version)
            )
            if member { counts.joined += 1 } else { counts.left += 1 }
        }
        try await repositories.matches.saveMemberships(records, now: now, on: connection)
        return (counts, events)
    }
}
