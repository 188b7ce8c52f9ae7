import Contracts

extension CompiledCriteria {
    /// The criteria as a boolean SQL expression over the projection's reading columns `v_text`,
    /// `v_folded`, `v_number`, `v_bool` and `v_day` (one `jsonb` object per reading, keyed by field
    /// path, as ``SubjectValues`` holds them); never NULL.
    ///
    /// - Parameters:
    ///   - today: the UTC day relative operators count from.
    ///   - parameterOffset: how many `$n` parameters the surrounding query already uses.
    public func sql(today: CalendarDate, parameterOffset: Int = 0) -> SQLFragment {
        var parameters = SQLParameters(offset: parameterOffset)
        let text = Self.sql(root, today.daysSinceEpoch, &parameters)
        return SQLFragment(sql: text, binds: parameters.binds)
    }

    private static func sql(_ node: Node, _ today: Int64, _ parameters: inout SQLParameters) -> String {
        switch node {
        case .all(let children):
            guard !children.isEmpty else { return "TRUE" }
            return "(" + children.map { sql($0, today, &parameters) }.joined(separator: " AND ") + ")"
        case .any(let children):
            guard !children.isEmpty else { return "FALSE" }
            return "(" + children.map { sql($0, today, &parameters) }.joined(separator: " OR ") + ")"
        case .not(let child):
            return "(NOT " + sql(child, today, &parameters) + ")"
        case .leaf(let leaf):
            let path = parameters.bind(.text(leaf.path))
            let positive = "COALESCE(\(sql(leaf.test, path: path, today, &parameters)), FALSE)"
            return leaf.negated ? "(NOT \(positive))" : positive
        }
    }

    /// The test as SQL; NULL when the reading is missing (the caller wraps it in COALESCE).
    private static func sql(
        _ test: LeafTest, path: String, _ today: Int64, _ parameters: inout SQLParameters
    ) -> String {
        switch test {
        case .present:
            return "((v_text ->> \(path)) IS NOT NULL)"
        case .text(let folded, let comparison, let operand):
            let actual = "(\(folded ? "v_folded" : "v_text") ->> \(path))"
            switch comparison {
            case .order(.equal):
                return "(\(actual) = \(parameters.bind(.text(operand))))"
            case .order(let order):
                return "(\(actual) COLLATE \"C\" \(order.rawValue) \(parameters.bind(.text(operand))))"
            case .contains:
                return "(strpos(\(actual), \(parameters.bind(.text(operand)))) > 0)"
            case .startsWith:
                return "starts_with(\(actual), \(parameters.bind(.text(operand))))"
            case .endsWith:
                let length = parameters.bind(.int(Int64(operand.unicodeScalars.count)))
                return "(right(\(actual), \(length)::int4) = \(parameters.bind(.text(operand))))"
            }
        case .number(let comparison, let operand):
            return "((v_number ->> \(path))::float8 \(comparison.rawValue) \(parameters.bind(.double(operand))))"
        case .bool(let operand):
            return "((v_bool ->> \(path))::boolean = \(parameters.bind(.bool(operand))))"
        case .day(let comparison, let operand):
            return "((v_day ->> \(path))::int8 \(comparison.rawValue) \(parameters.bind(.int(operand))))"
        case .withinLastDays(let days):
            let lower = parameters.bind(.int(today - days))
            let upper = parameters.bind(.int(today))
            return "((v_day ->> \(path))::int8 BETWEEN \(lower) AND \(upper))"
        case .olderThanDays(let days):
            return "((v_day ->> \(path))::int8 < \(parameters.bind(.int(today - days))))"
        case .anyOf(let tests):
            return anyOf(tests, path: path, today, &parameters)
        }
    }

    /// `in`: equality tests grouped per reading into `= ANY(array)`; FALSE when empty.
    private static func anyOf(
        _ tests: [LeafTest], path: String, _ today: Int64, _ parameters: inout SQLParameters
    ) -> String {
        var texts: [String] = []
        var foldedTexts: [String] = []
        var numbers: [Double] = []
        var bools: [Bool] = []
        var days: [Int64] = []
        var others: [LeafTest] = []
        for test in tests {
            switch test {
            case .text(false, .order(.equal), let operand): texts.append(operand)
            case .text(true, .order(.equal), let operand): foldedTexts.append(operand)
            case .number(.equal, let operand): numbers.append(operand)
            case .bool(let operand): bools.append(operand)
            case .day(.equal, let operand): days.append(operand)
            default: others.append(test)
            }
        }
        var parts: [String] = []
        if !texts.isEmpty { parts.append("((v_text ->> \(path)) = ANY(\(parameters.bind(.textArray(texts)))))") }
        if !foldedTexts.isEmpty {
            parts.append("((v_folded ->> \(path)) = ANY(\(parameters.bind(.textArray(foldedTexts)))))")
        }
        if !numbers.isEmpty {
            parts.append("((v_number ->> \(path))::float8 = ANY(\(parameters.bind(.doubleArray(numbers)))))")
        }
        if !bools.isEmpty {
            parts.append("((v_bool ->> \(path))::boolean = ANY(\(parameters.bind(.boolArray(bools)))))")
        }
        if !days.isEmpty { parts.append("((v_day ->> \(path))::int8 = ANY(\(parameters.bind(.intArray(days)))))") }
        for test in others { parts.append(sql(test, path: path, today, &parameters)) }
        guard !parts.isEmpty else { return "FALSE" }
        // OR of NULLs stays NULL and TRUE wins, like `contains` in the evaluator.
        return "(" + parts.joined(separator: " OR ") + ")"
    }
}
