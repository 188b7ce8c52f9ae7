import Contracts

/// What a leaf condition checks, with its operand already typed: the form both the evaluator and
/// the SQL translation work from, so they cannot read a condition differently.
indirect enum LeafTest: Hashable, Sendable {
    /// The field has a value.
    case present
    /// The text reading (or its lowercased form) compared with `operand`, byte for byte.
    case text(folded: Bool, TextComparison, String)
    case number(OrderComparison, Double)
    case bool(Bool)
    /// The day reading (days since 1970-01-01) compared with `operand`.
    case day(OrderComparison, Int64)
    /// Between `days` days ago and today (UTC), inclusive.
    case withinLastDays(Int64)
    /// Strictly more than `days` days before today (UTC).
    case olderThanDays(Int64)
    /// Any of the tests holds (`in`); false when empty.
    case anyOf([LeafTest])

    enum TextComparison: Hashable, Sendable {
        case order(OrderComparison)
        case contains, startsWith, endsWith
    }

    enum OrderComparison: String, Hashable, Sendable {
        case equal = "="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
            switch self {
            case .equal: lhs == rhs
            case .less: lhs < rhs
            case .lessOrEqual: lhs <= rhs
            case .greater: lhs > rhs
            case .greaterOrEqual: lhs >= rhs
            }
        }
    }

    /// The positive test of a validated condition (negated operators are negated by the caller).
    init(_ condition: Condition) {
        let value = condition.value ?? .null
        let fold = condition.ignoreCase
        switch condition.op.positive {
        case .exists:
            self = .present
        case .in:
            self = .anyOf((value.arrayValue ?? []).map { Self.equality($0, kind: condition.field.kind, fold: fold) })
        case .contains:
            self = .text(folded: fold, .contains, Self.operand(value.stringValue ?? "", fold: fold))
        case .startsWith:
            self = .text(folded: fold, .startsWith, Self.operand(value.stringValue ?? "", fold: fold))
        case .endsWith:
            self = .text(folded: fold, .endsWith, Self.operand(value.stringValue ?? "", fold: fold))
        case .gt: self = Self.ordering(.greater, value, kind: condition.field.kind, fold: fold)
        case .gte: self = Self.ordering(.greaterOrEqual, value, kind: condition.field.kind, fold: fold)
        case .lt: self = Self.ordering(.less, value, kind: condition.field.kind, fold: fold)
        case .lte: self = Self.ordering(.lessOrEqual, value, kind: condition.field.kind, fold: fold)
        case .before: self = .day(.less, value.stringValue.flatMap(ValueCoercion.day) ?? 0)
        case .after: self = .day(.greater, value.stringValue.flatMap(ValueCoercion.day) ?? 0)
        case .withinLastDays: self = .withinLastDays(Int64(value.doubleValue ?? 0))
        case .olderThanDays: self = .olderThanDays(Int64(value.doubleValue ?? 0))
        default: self = Self.equality(value, kind: condition.field.kind, fold: fold)
        }
    }

    private static func operand(_ text: String, fold: Bool) -> String {
        fold ? ValueCoercion.folded(text) : text
    }

    /// `eq` with one value: the value's JSON type picks the reading for attributes.
    private static func equality(_ value: JSONValue, kind: FieldKind, fold: Bool) -> LeafTest {
        switch (kind, value) {
        case (.date, .string(let text)): .day(.equal, ValueCoercion.day(text) ?? 0)
        case (_, .string(let text)): .text(folded: fold, .order(.equal), operand(text, fold: fold))
        case (_, .number(let number)): .number(.equal, number)
        case (_, .bool(let flag)): .bool(flag)
        default: .anyOf([])
        }
    }

    /// `gt`/`gte`/`lt`/`lte`: numbers numerically, dates (and date strings on attributes) by day,
    /// other strings byte-wise.
    private static func ordering(_ comparison: OrderComparison, _ value: JSONValue, kind: FieldKind, fold: Bool) -> LeafTest {
        switch (kind, value) {
        case (.date, .string(let text)):
            .day(comparison, ValueCoercion.day(text) ?? 0)
        case (.attribute, .string(let text)) where ValueCoercion.day(text) != nil:
            .day(comparison, ValueCoercion.day(text) ?? 0)
        case (_, .string(let text)): .text(folded: fold, .order(comparison), operand(text, fold: fold))
        case (_, .number(let number)): .number(comparison, number)
        default: .anyOf([])
        }
    }

    /// Whether the test holds for the value at `path`; a missing reading never holds.
    func holds(at path: String, in values: SubjectValues, today: Int64) -> Bool {
        switch self {
        case .present:
            return values.text[path] != nil
        case .text(let folded, let comparison, let operand):
            guard let actual = folded ? values.folded[path] : values.text[path] else { return false }
            return Self.compare(actual, comparison, operand)
        case .number(let comparison, let operand):
            guard let actual = values.number[path] else { return false }
            return comparison.holds(actual, operand)
        case .bool(let operand):
            return values.bool[path] == operand
        case .day(let comparison, let operand):
            guard let actual = values.day[path] else { return false }
            return comparison.holds(actual, operand)
        case .withinLastDays(let days):
            guard let actual = values.day[path] else { return false }
            return actual >= today - days && actual <= today
        case .olderThanDays(let days):
            guard let actual = values.day[path] else { return false }
            return actual < today - days
        case .anyOf(let tests):
            return tests.contains { $0.holds(at: path, in: values, today: today) }
        }
    }

    /// Byte-wise comparison of UTF-8 (what PostgreSQL does with `COLLATE "C"`).
    private static func compare(_ actual: String, _ comparison: TextComparison, _ operand: String) -> Bool {
        let lhs = Array(actual.utf8)
        let rhs = Array(operand.utf8)
        switch comparison {
        case .order(.equal): return lhs == rhs
        case .order(.less): return lhs.lexicographicallyPrecedes(rhs)
        case .order(.lessOrEqual): return !rhs.lexicographicallyPrecedes(lhs)
        case .order(.greater): return rhs.lexicographicallyPrecedes(lhs)
        case .order(.greaterOrEqual): return !lhs.lexicographicallyPrecedes(rhs)
        case .startsWith: return lhs.starts(with: rhs)
        case .endsWith: return lhs.count >= rhs.count && Array(lhs.suffix(rhs.count)) == rhs
        case .contains:
            guard rhs.count <= lhs.count else { return false }
            for start in 0...(lhs.count - rhs.count) where lhs[start..<(start + rhs.count)].elementsEqual(rhs) {
                return true
            }
            return false
        }
    }
}
