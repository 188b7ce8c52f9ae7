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
        case ruleId, ruleVersion, explanation, profileAnswers, history
    }

    /// The snapshot's members (without a transition), then the detail's.
    func encode(to encoder: any Encoder) throws {
        try record.snapshot().encode(to: encoder)
        guard detailed else { return }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(record.ruleId?.lowercasedString, forKey: .ruleId)
        try container.encodeIfPresent(record.ruleVersion, forKey: .ruleVersion)
        try container.encodeIfPresent(record.explanation, forKey: .explanation)
        try container.encodeIfPresent(record.profileAnswers, forKey: .profileAnswers)
        let entries = history?.map { HistoryEntry(from: $0.from, to: $0.to, actor: $0.actor, reason: $0.reason, at: $0.at) }
        try container.encodeIfPresent(entries, forKey: .history)
    }

    /// One transition of the history: `from` is absent for the initial status.
    private struct HistoryEntry: Encodable {
        var from: EnrollmentStatus?
        var to: EnrollmentStatus
        var actor: String
        var reason: String?
        var at: Date
    }
}
