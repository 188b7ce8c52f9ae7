import Contracts
import Foundation
import Logging
import PostgresNIO
import Segments
import ServicePlatform

/// Re-evaluates the users of one consumer batch: the rules in effect and the segments of their
/// tenants are loaded once per batch, stored matches, exclusions and memberships of the batch's
/// users with one query each, and the decisions written back with multi-row statements.
///
/// Only active users take part in rules (a deactivated user's rule enrollments are left as they
/// are until reactivation); segment memberships follow every user that is not erased; an erased
/// user's rows are deleted and its memberships end.
package struct IncrementalEvaluator: Sendable {
    package let repositories: RulesRepositories
    package let source: String
    package let logger: Logger

    /// The events the batch's changes cause, after writing the new decisions.
    package func apply(_ transitions: [UserTransition], now: Date, on connection: PostgresConnection) async throws -> [OutboxEvent] {
        var events = try await endMemberships(of: transitions.filter { $0.new.status == .erased }, now: now, on: connection)
        let live = transitions.filter { $0.new.status != .erased }
        guard !live.isEmpty else { return events }
        let tenants = Array(Set(live.map(\.new.tenantId)))
        let rules = Dictionary(grouping: try await repositories.rules.inEffect(tenantIds: tenants, now: now, on: connection), by: \.rule.tenantId)
        let segments = Dictionary(grouping: try await repositories.segments.all(tenantIds: tenants, on: connection), by: \.tenantId)
        events += try await decideRules(
            for: live.filter { $0.new.status == .active && rules[$0.new.tenantId] != nil }, rules: rules, now: now, on: connection)
        events += try await decideMemberships(for: live.filter { segments[$0.new.tenantId] != nil }, segments: segments, now: now, on: connection)
        return events
    }

    /// Forgets erased users and announces the end of the memberships they held.
    private func endMemberships(of erased: [UserTransition], now: Date, on connection: PostgresConnection) async throws -> [OutboxEvent] {
        guard !erased.isEmpty else { return [] }
        let traces = Dictionary(erased.map { ($0.new.key, $0.traceparent) }, uniquingKeysWith: { _, last in last })
        var events: [OutboxEvent] = []
        for held in try await repositories.matches.erase(erased.map(\.new.key), on: connection) {
            var commands = RuleCommands(source: source, now: now)
            commands.traceparent = traces[UserKey(tenantId: held.tenantId, userId: held.userId)] ?? nil
            events.append(
                try commands.membership(
                    tenantId: held.tenantId, segmentId: held.segmentId, userId: held.userId, member: false, version: held.version + 1))
        }
        return events
    }

    /// Decides every (rule in effect, course) of each active user and stores the decisions.
    private func decideRules(
        for users: [UserTransition], rules: [String: [EvaluableRule]], now: Date, on connection: PostgresConnection
    ) async throws -> [OutboxEvent] {
        guard !users.isEmpty else { return [] }
        let today = CalendarDate(now)
        let stored = try await repositories.matches.matches(of: users.map(\.new.key), on: connection)
        let exclusions = try await repositories.matches.exclusions(of: users.map(\.new.key), on: connection)
        var storedCourses: [MatchKey: [String]] = [:]
        for key in stored.keys {
            storedCourses[MatchKey(tenantId: key.tenantId, ruleId: key.ruleId, userId: key.userId, courseId: ""), default: []].append(key.courseId)
        }
        var records: [MatchRecord] = []
        var events: [OutboxEvent] = []
        for user in users {
            var commands = RuleCommands(source: source, now: now)
            commands.traceparent = user.traceparent
            let values = user.new.values
            let oldValues = user.old.flatMap { $0.status == .erased ? nil : $0.values }
            for candidate in rules[user.new.tenantId] ?? [] {
                let rule = candidate.rule
                let matches = candidate.criteria.matches(values, today: today)
                // While a no-backfill rule's baseline job runs, a user who already matched before
                // this event is recorded, not enrolled (as the job would have done).
                let matchedBefore = oldValues.map { candidate.criteria.matches($0, today: today) } ?? false
                let enrollNew = !(candidate.baselinePending && matchedBefore)
                let ruleKey = MatchKey(tenantId: rule.tenantId, ruleId: rule.ruleId, userId: user.new.userId, courseId: "")
                let dropped = (storedCourses[ruleKey] ?? []).filter { !rule.courseIds.contains($0) }.sorted()
                var evaluation: CriteriaEvaluation?
                for courseId in rule.courseIds + dropped {
                    let key = MatchKey(tenantId: rule.tenantId, ruleId: rule.ruleId, userId: user.new.userId, courseId: courseId)
                    let excluded = exclusions.contains(ExclusionKey(tenantId: rule.tenantId, userId: key.userId, courseId: courseId))
                    let wanted = matches && rule.courseIds.contains(courseId)
                    guard let action = MatchAction.decide(state: stored[key]?.state, wanted: wanted, excluded: excluded, enrollNew: enrollNew) else {
                        continue
                    }
                    if action == .enroll || action == .unmatch, evaluation == nil {
                        evaluation = candidate.criteria.evaluate(values, today: today)
                    }
                    let decision = try commands.decision(
                        action, rule: rule, userId: key.userId, courseId: courseId, seq: stored[key]?.seq ?? 0, evaluation: evaluation)
                    records.append(decision.record)
                    if let event = decision.event { events.append(event) }
                }
            }
        }
        try await repositories.matches.saveMatches(records, now: now, on: connection)
        return events
    }

    /// Updates each user's membership of every segment of its tenant; announces the changes.
    private func decideMemberships(
        for users: [UserTransition], segments: [String: [Segment]], now: Date, on connection: PostgresConnection
    ) async throws -> [OutboxEvent] {
        guard !users.isEmpty else { return [] }
        let today = CalendarDate(now)
        let compiled = segments.mapValues { $0.map { ($0, CompiledCriteria($0.criteria)) } }
        let memberships = try await repositories.matches.memberships(of: users.map(\.new.key), on: connection)
        var records: [MembershipRecord] = []
        var events: [OutboxEvent] = []
        for user in users {
            var commands = RuleCommands(source: source, now: now)
            commands.traceparent = user.traceparent
            let values = user.new.values
            for (segment, criteria) in compiled[user.new.tenantId] ?? [] {
                let member = criteria.matches(values, today: today)
                let key = MembershipKey(tenantId: segment.tenantId, segmentId: segment.segmentId, userId: user.new.userId)
                let current = memberships[key]
                guard member != (current?.member ?? false) else { continue }
                let record = MembershipRecord(
                    tenantId: key.tenantId, segmentId: key.segmentId, userId: key.userId, member: member, version: (current?.version ?? 0) + 1)
                records.append(record)
                events.append(
                    try commands.membership(
                        tenantId: key.tenantId, segmentId: key.segmentId, userId: key.userId, member: member, version: record.version))
            }
        }
        try await repositories.matches.saveMemberships(records, now: now, on: connection)
        return events
    }
}
