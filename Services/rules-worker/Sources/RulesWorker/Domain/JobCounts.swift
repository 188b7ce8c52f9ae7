/// What a job has done so far.
package struct JobCounts: Hashable, Sendable, Codable {
    /// Enroll commands emitted.
    package var enrolled = 0
    /// New matches recorded without enrolling (the rule took effect without backfill).
    package var ignored = 0
    /// Withdraw commands emitted.
    package var withdrawn = 0
    /// Suspend commands emitted.
    package var suspended = 0
    /// Matches that ended under `onUnmatch: keep` (no command).
    package var kept = 0
    /// Matches forgotten without a command (ignored users who stopped matching, manual withdrawals).
    package var released = 0
    /// Users who entered the segment.
    package var joined = 0
    /// Users who left the segment.
    package var left = 0

    package init() {}

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enrolled = try container.decodeIfPresent(Int.self, forKey: .enrolled) ?? 0
        ignored = try container.decodeIfPresent(Int.self, forKey: .ignored) ?? 0
        withdrawn = try container.decodeIfPresent(Int.self, forKey: .withdrawn) ?? 0
        suspended = try container.decodeIfPresent(Int.self, forKey: .suspended) ?? 0
        kept = try container.decodeIfPresent(Int.self, forKey: .kept) ?? 0
        released = try container.decodeIfPresent(Int.self, forKey: .released) ?? 0
        joined = try container.decodeIfPresent(Int.self, forKey: .joined) ?? 0
        left = try container.decodeIfPresent(Int.self, forKey: .left) ?? 0
    }

    package static func + (lhs: JobCounts, rhs: JobCounts) -> JobCounts {
        var sum = lhs
        sum.enrolled += rhs.enrolled
        sum.ignored += rhs.ignored
        sum.withdrawn += rhs.withdrawn
        sum.suspended += rhs.suspended
        sum.kept += rhs.kept
        sum.released += rhs.released
        sum.joined += rhs.joined
        sum.left += rhs.left
        return sum
    }
}
