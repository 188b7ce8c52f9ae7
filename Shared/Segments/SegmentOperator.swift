/// The operators of a leaf condition `{field, op, value}`.
public enum SegmentOperator: String, CaseIterable, Hashable, Sendable, Codable {
    case eq, neq
    case `in`, notIn
    case exists, notExists
    case contains, startsWith, endsWith
    case gt, gte, lt, lte
    case before, after
    case withinLastDays, olderThanDays

    /// `neq`, `notIn` and `notExists` are the exact negations of `eq`, `in` and `exists`: they hold
    /// whenever their positive counterpart does not, including for a missing value.
    public var isNegated: Bool {
        switch self {
        case .neq, .notIn, .notExists: true
        default: false
        }
    }

    /// The operator a negated operator negates (itself for the others).
    public var positive: SegmentOperator {
        switch self {
        case .neq: .eq
        case .notIn: .in
        case .notExists: .exists
        default: self
        }
    }

    /// Whether the condition takes no `value`.
    public var takesNoValue: Bool {
        self == .exists || self == .notExists
    }

    /// Whether the result depends on the current date (re-evaluated by the periodic sweep).
    public var isTimeRelative: Bool {
        self == .withinLastDays || self == .olderThanDays
    }

    /// Whether `ignoreCase` may be set: the operators that compare strings.
    public var comparesStrings: Bool {
        switch self {
        case .eq, .neq, .in, .notIn, .contains, .startsWith, .endsWith, .gt, .gte, .lt, .lte: true
        default: false
        }
    }
}
