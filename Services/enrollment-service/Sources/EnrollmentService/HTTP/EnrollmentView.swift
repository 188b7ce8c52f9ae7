import Contracts
import Foundation
import Hummingbird

/// An enrollment as the API returns it: the contract snapshot (`status` included), and on the
/// detail endpoint its history and, for rule-driven enrollments, the rule version and explanation.
struct EnrollmentView: ResponseEncodable, Sendable {
    var record: EnrollmentRecord
    var history: [TransitionRecord]?
    var detailed: Bool

    init(_ record: EnrollmentRecord, history: [TransitionRecord]? = nil) {
        self.record = record
        self.history = history
        self.detailed = history != nil
    }

    private enum CodingKeys: String, CodingKey {
        case enrollmentId, tenantId, courseId, userId, role, status, source, sourceRef, enrolledAt, dueAt, expiresAt, completedAt
        case cycle, version, mandatory, ruleId, ruleVersion, explanation, profileAnswers, history
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.enrollmentId.uuidString.lowercased(), forKey: .enrollmentId)
        try container.encode(record.tenantId, forKey: .tenantId)
        try container.encode(record.courseId, forKey: .courseId)
        try container.encode(record.userId, forKey: .userId)
        try container.encode(record.role, forKey: .role)
        try container.encode(record.status, forKey: .status)
        try container.encode(record.source, forKey: .source)
        try container.encodeIfPresent(record.sourceRef, forKey: .sourceRef)
        try container.encode(record.enrolledAt, forKey: .enrolledAt)
        try container.encodeIfPresent(record.dueAt, forKey: .dueAt)
        try container.encodeIfPresent(record.expiresAt, forKey: .expiresAt)
        try container.encodeIfPresent(record.completedAt, forKey: .completedAt)
        try container.encode(record.cycle, forKey: .cycle)
        try container.encode(record.version, forKey: .version)
        try container.encode(record.mandatory, forKey: .mandatory)
        guard detailed else { return }
        try container.encodeIfPresent(record.ruleId?.uuidString.lowercased(), forKey: .ruleId)
        try container.encodeIfPresent(record.ruleVersion, forKey: .ruleVersion)
        try container.encodeIfPresent(record.explanation, forKey: .explanation)
        try container.encodeIfPresent(record.profileAnswers, forKey: .profileAnswers)
        try container.encodeIfPresent(history?.map(HistoryEntry.init), forKey: .history)
    }

    /// One transition of the history: `from` is absent for the initial status.
    private struct HistoryEntry: Encodable {
        var from: EnrollmentStatus?
        var to: EnrollmentStatus
        var actor: String
        var reason: String?
        var at: Date

        init(_ transition: TransitionRecord) {
            from = transition.from
            to = transition.to
            actor = transition.actor
            reason = transition.reason
            at = transition.at
        }
    }
}
