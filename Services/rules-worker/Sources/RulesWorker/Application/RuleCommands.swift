import Contracts
import Foundation
import Segments
import ServicePlatform

/// Builds the events rule decisions emit: enrollment commands with a deterministic idempotency key
/// and the explanation, and segment membership changes.
package struct RuleCommands: Sendable {
    /// The CloudEvents source (`/lms/rules-worker`).
    package let source: String
    package let now: Date
    package var traceparent: String?

    /// The enroll command for a new match.
    package func enroll(_ rule: Rule, userId: String, courseId: String, seq: Int, evaluation: CriteriaEvaluation) throws -> OutboxEvent {
        let command = EnrollCommand(
            tenantId: rule.tenantId,
            userId: userId,
            courseId: courseId,
            ruleId: rule.ruleId,
            ruleVersion: rule.version,
            dueAt: rule.dueInDays.map { now.addingTimeInterval(Double($0) * 86_400) },
            explanation: explanation(rule, evaluation),
            idempotencyKey: Self.idempotencyKey(rule: rule, userId: userId, courseId: courseId, action: "enroll", seq: seq),
            mandatory: rule.mandatory
        )
        return try OutboxEvent(command, source: source, time: now, traceparent: traceparent)
    }

    /// The `onUnmatch` command for a match that ended; `nil` when the policy is `keep`.
    package func unmatch(_ rule: Rule, userId: String, courseId: String, seq: Int, evaluation: CriteriaEvaluation?) throws -> OutboxEvent? {
        let type: EventType
        switch rule.onUnmatch {
        case .keep: return nil
        case .suspend: type = .suspendRequested
        case .withdraw, .withdrawIfNotStarted: type = .withdrawRequested
        }
        let action = type == .suspendRequested ? "suspend" : "withdraw"
        let command = EnrollmentChangeCommand(
            tenantId: rule.tenantId,
            userId: userId,
            courseId: courseId,
            ruleId: rule.ruleId,
            ruleVersion: rule.version,
            reason: Self.reason(rule),
            idempotencyKey: Self.idempotencyKey(rule: rule, userId: userId, courseId: courseId, action: action, seq: seq),
            explanation: evaluation.map { explanation(rule, $0) },
            onlyIfNotStarted: rule.onUnmatch == .withdrawIfNotStarted ? true : nil
        )
        return try OutboxEvent(command, type: type, source: source, time: now, traceparent: traceparent)
    }

    /// A user entered or left a segment.
    package func membership(tenantId: String, segmentId: UUID, userId: String, member: Bool, version: Int64) throws -> OutboxEvent {
        let change = SegmentMembershipChanged(
            tenantId: tenantId,
            segmentId: segmentId,
            userId: userId,
            member: member,
            version: version,
            changedAt: now
        )
        return try OutboxEvent(change, source: source, time: now, traceparent: traceparent)
    }

    private func explanation(_ rule: Rule, _ evaluation: CriteriaEvaluation) -> RuleExplanation {
        RuleExplanation(
            ruleId: rule.ruleId,
            ruleVersion: rule.version,
            ruleName: rule.name,
            matched: evaluation.matched,
            conditions: evaluation.conditions
        )
    }

    /// The reason recorded in the enrollment's history, for people: the policy travels as the
    /// command's `onlyIfNotStarted` (set for `withdrawIfNotStarted`), never in this text.
    package static func reason(_ rule: Rule) -> String {
        let text = "Rule \"\(rule.name)\" v\(rule.version) no longer applies to the user (onUnmatch: \(rule.onUnmatch.rawValue))"
        return String(text.prefix(1_024))
    }

    /// `<ruleId>/v<version>/<userId>/<courseId>/<action>/<seq>`, the same whenever the same decision
    /// is made again (a replayed event, a job step repeated after a crash). When longer than the
    /// contract's 256 characters, the user and course are replaced by a 128-bit digest of them.
    package static func idempotencyKey(rule: Rule, userId: String, courseId: String, action: String, seq: Int) -> String {
        let prefix = "\(rule.ruleId.lowercasedString)/v\(rule.version)"
        let readable = "\(prefix)/\(userId)/\(courseId)/\(action)/\(seq)"
        guard readable.utf8.count > 256 else { return readable }
        return "\(prefix)/#\(fnv1a128(userId + "\u{0}" + courseId))/\(action)/\(seq)"
    }

    /// A non-cryptographic 128-bit digest (FNV-1a) for shortening idempotency keys; ids are not
    /// secrets, so collision resistance against an adversary is not needed.
    private static func fnv1a128(_ text: String) -> String {
        // Two independent 64-bit FNV-1a lanes (different offset bases) make 128 bits.
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x6c62_272e_07bb_0142
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* prime
            second = (second ^ UInt64(byte ^ 0x5a)) &* prime
        }
        return String(format: "%016llx%016llx", first, second)
    }
}
