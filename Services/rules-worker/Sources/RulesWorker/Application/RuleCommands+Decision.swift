import Segments
import ServicePlatform

extension RuleCommands {
    /// What carrying out `action` for one (rule, user, course) stores and emits.
    package struct Decision {
        package var record: MatchRecord
        package var event: OutboxEvent?
        package var counts: JobCounts
    }

    /// The record, command and count of `action`. `seq` is the stored command count (0 when new);
    /// `evaluation` explains enrollments and ends of matches.
    package func decision(
        _ action: MatchAction, rule: Rule, userId: String, courseId: String, seq: Int, evaluation: CriteriaEvaluation?
    ) throws -> Decision {
        var seq = seq
        var counts = JobCounts()
        var event: OutboxEvent?
        switch action {
        case .enroll:
            seq += 1
            event = try enroll(
                rule, userId: userId, courseId: courseId, seq: seq, evaluation: evaluation ?? CriteriaEvaluation(matched: true, conditions: []))
            counts.enrolled = 1
        case .unmatch:
            event = try unmatch(rule, userId: userId, courseId: courseId, seq: seq + 1, evaluation: evaluation)
            if event != nil { seq += 1 }
            switch rule.onUnmatch {
            case .keep: counts.kept = 1
            case .suspend: counts.suspended = 1
            case .withdraw, .withdrawIfNotStarted: counts.withdrawn = 1
            }
        case .ignore:
            counts.ignored = 1
        case .release:
            counts.released = 1
        }
        let key = MatchKey(tenantId: rule.tenantId, ruleId: rule.ruleId, userId: userId, courseId: courseId)
        return Decision(record: MatchRecord(key: key, state: action.state, ruleVersion: rule.version, seq: seq), event: event, counts: counts)
    }
}
