import Foundation
import Hummingbird

/// `POST /v1/rules/{id}:preview`: what activating the rule (or the proposed definition) would do
/// now, against what the rule has already done. Nothing is written or emitted.
struct RulePreview: ResponseEncodable, Sendable {
    /// One kind of change: (user, course) pairs, distinct users and the first pairs.
    struct Bucket: Encodable, Sendable {
        var count = 0
        var users = 0
        var sample: [Pair] = []
    }

    struct Pair: Codable, Sendable, Hashable {
        var userId: String
        var courseId: String
    }

    var ruleId: String
    var version: Int64
    /// Active users evaluated.
    var evaluated: Int
    /// Active users the criteria match.
    var matching: Int
    /// Whether the previewed rule would be in effect now.
    var inEffect: Bool
    var wouldEnroll = Bucket()
    var wouldWithdraw = Bucket()
    var wouldSuspend = Bucket()
    /// Matches that end under `onUnmatch: keep` (no command).
    var wouldKeep = Bucket()
    /// Matching users recorded without enrolling (no backfill).
    var wouldIgnore = Bucket()
    /// Matches forgotten without a command (manual withdrawals, ignored users who stopped matching).
    var wouldRelease = Bucket()
}
