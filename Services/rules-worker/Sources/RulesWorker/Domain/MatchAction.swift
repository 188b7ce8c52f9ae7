/// The change a rule makes for one (user, course) after an evaluation.
package enum MatchAction: String, Hashable, Sendable, CaseIterable {
    /// Emit an enroll command; state `enrolled`.
    case enroll
    /// Newly matching while the rule takes effect without backfill; state `ignored`, no command.
    case ignore
    /// No longer wanted: apply `onUnmatch`; state `unmatched`.
    case unmatch
    /// Forget a match silently (an ignored user stopped matching, or an admin withdrew the
    /// enrollment by hand); state `unmatched`, no command.
    case release

    /// The transition table. `wanted` is "the rule is in effect and the user matches";
    /// `enrollNew` says whether a new match enrolls (or is only recorded as ignored);
    /// `enrollIgnored` (a backfill) also enrolls users recorded as ignored earlier.
    ///
    /// ``ReconcileQuery`` states the same table in SQL; `MatchActionTests` keeps them equal.
    package static func decide(state: MatchState?, wanted: Bool, excluded: Bool, enrollNew: Bool, enrollIgnored: Bool = false) -> MatchAction? {
        if wanted && !excluded {
            switch state {
            case nil, .unmatched?: return enrollNew ? .enroll : .ignore
            case .ignored?: return enrollIgnored ? .enroll : nil
            case .enrolled?: return nil
            }
        }
        switch state {
        case .enrolled?: return excluded ? .release : .unmatch
        case .ignored?: return wanted ? nil : .release
        case .unmatched?, nil: return nil
        }
    }

    /// The state after the action.
    package var state: MatchState {
        switch self {
        case .enroll: .enrolled
        case .ignore: .ignored
        case .unmatch, .release: .unmatched
        }
    }
}
