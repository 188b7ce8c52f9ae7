import Contracts

/// Reads a criteria tree from JSON, collecting every problem with its path.
struct CriteriaParser {
    static let maximumListLength = 1_000
    static let maximumStringLength = 1_024
    static let maximumDays: Double = 36_500

    var issues: [CriteriaIssue] = []
    var conditionCount = 0

    private mutating func issue(_ path: String, _ message: String) {
        issues.append(CriteriaIssue(field: path, message: message))
    }

    mutating func node(_ json: JSONValue, at path: String, depth: Int) -> Criteria? {
        guard case .object(let members) = json else {
            issue(path, "must be an object with all, any, not, or field and op")
            return nil
        }
        guard depth <= Criteria.maximumDepth else {
            issue(path, "nests deeper than \(Criteria.maximumDepth) levels")
            return nil
        }
        let groupKeys = ["all", "any", "not"].filter { members[$0] != nil }
        if groupKeys.count > 1 {
            issue(path, "must have only one of all, any and not")
            return nil
        }
        guard let key = groupKeys.first else { return leaf(members, at: path) }
        for extra in members.keys.sorted() where extra != key {
            issue(join(path, extra), "is not allowed next to \(key)")
        }
        let childPath = join(path, key)
        let value = members[key] ?? .null
        if key == "not" {
            guard let child = node(value, at: childPath, depth: depth + 1) else { return nil }
            return .not(child)
        }
        guard case .array(let elements) = value else {
            issue(childPath, "must be an array of criteria")
            return nil
        }
        if key == "any" && elements.isEmpty {
            issue(childPath, "must contain at least one criterion")
            return nil
        }
        var children: [Criteria] = []
        var complete = true
        for (index, element) in elements.enumerated() {
            if let child = node(element, at: "\(childPath)[\(index)]", depth: depth + 1) {
                children.append(child)
            } else {
                complete = false
            }
        }
        guard complete else { return nil }
        return key == "all" ? .all(children) : .any(children)
    }

    private mutating func leaf(_ members: [String: JSONValue], at path: String) -> Criteria? {
        conditionCount += 1
        let allowed: Set<String> = ["field", "op", "value", "ignoreCase"]
        for extra in members.keys.sorted() where !allowed.contains(extra) {
            issue(join(path, extra), "is not a member of a condition (field, op, value, ignoreCase)")
        }
        var field: SegmentField?
        switch members["field"] {
        case .string(let text)?:
            field = SegmentField(path: text)
            if field == nil {
                let known = ProfileField.allCases.map(\.rawValue).joined(separator: ", ")
                issue(join(path, "field"), "must be one of \(known) or attributes.<name> (name 1-64 characters)")
            }
        case nil: issue(join(path, "field"), "is required")
        default: issue(join(path, "field"), "must be a string")
        }
        var op: SegmentOperator?
        switch members["op"] {
        case .string(let text)?:
            op = SegmentOperator(rawValue: text)
            if op == nil {
                issue(join(path, "op"), "must be one of \(SegmentOperator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        case nil: issue(join(path, "op"), "is required")
        default: issue(join(path, "op"), "must be a string")
        }
        var ignoreCase = false
        switch members["ignoreCase"] {
        case .bool(let flag)?: ignoreCase = flag
        case nil: break
        default: issue(join(path, "ignoreCase"), "must be a boolean")
        }
        guard let field, let op else { return nil }
        let before = issues.count
        let value = members["value"]
        checkOperator(op, on: field, at: join(path, "op"))
        if issues.count == before {
            checkValue(value, op: op, field: field, at: join(path, "value"))
        }
        if ignoreCase && issues.count == before {
            if !op.comparesStrings || field.kind == .date || field.kind == .status || !containsString(value) {
                issue(join(path, "ignoreCase"), "applies only to string comparisons")
            }
        }
        guard issues.count == before else { return nil }
        return .condition(Condition(field: field, op: op, value: op.takesNoValue ? nil : value, ignoreCase: ignoreCase))
    }

    private mutating func checkOperator(_ op: SegmentOperator, on field: SegmentField, at path: String) {
        let allowed: Bool
        switch (field.kind, op) {
        case (.text, .before), (.text, .after), (.text, .withinLastDays), (.text, .olderThanDays):
            allowed = false
        case (.date, .contains), (.date, .startsWith), (.date, .endsWith):
            allowed = false
        case (.status, .eq), (.status, .neq), (.status, .in), (.status, .notIn), (.status, .exists), (.status, .notExists):
            allowed = true
        case (.status, _):
            allowed = false
        default:
            allowed = true
        }
        if !allowed { issue(path, "\(op.rawValue) does not apply to \(field.path) (\(field.kind.rawValue))") }
    }

    private mutating func checkValue(_ value: JSONValue?, op: SegmentOperator, field: SegmentField, at path: String) {
        if op.takesNoValue {
            if let value, value != .null { issue(path, "must be omitted for \(op.rawValue)") }
            return
        }
        guard let value, value != .null else {
            issue(path, value == nil ? "is required" : "must not be null; test a missing value with exists or notExists")
            return
        }
        switch op.positive {
        case .in:
            guard case .array(let elements) = value else {
                issue(path, "must be an array")
                return
            }
            if elements.count > Self.maximumListLength { issue(path, "must have at most \(Self.maximumListLength) values") }
            for (index, element) in elements.enumerated() {
                checkScalar(element, op: .eq, field: field, at: "\(path)[\(index)]")
            }
        case .withinLastDays, .olderThanDays:
            guard case .number(let days) = value, days.rounded() == days, days >= 0, days <= Self.maximumDays else {
                issue(path, "must be a whole number of days from 0 to \(Int(Self.maximumDays))")
                return
            }
        default:
            checkScalar(value, op: op, field: field, at: path)
        }
    }

    /// A single operand of `op` (`in` lists check each element as `eq`).
    private mutating func checkScalar(_ value: JSONValue, op: SegmentOperator, field: SegmentField, at path: String) {
        switch value {
        case .string(let text):
            if text.unicodeScalars.count > Self.maximumStringLength {
                issue(path, "must be at most \(Self.maximumStringLength) characters")
            } else if text.utf8.contains(0) {
                issue(path, "must not contain NUL characters")
            }
        case .number, .bool: break
        default:
            issue(path, "must be a string, number or boolean")
            return
        }
        switch op.positive {
        case .contains, .startsWith, .endsWith:
            guard case .string(let text) = value, !text.isEmpty else {
                issue(path, "must be a non-empty string")
                return
            }
        case .before, .after:
            guard case .string(let text) = value, ValueCoercion.day(text) != nil else {
                issue(path, "must be a date (YYYY-MM-DD or an RFC 3339 date-time)")
                return
            }
        default:
            break
        }
        switch field.kind {
        case .text:
            if value.stringValue == nil { issue(path, "must be a string for \(field.path)") }
        case .date:
            if value.stringValue.flatMap(ValueCoercion.day) == nil {
                issue(path, "must be a date (YYYY-MM-DD or an RFC 3339 date-time)")
            }
        case .status:
            let statuses = ["active", "deactivated"]
            if !statuses.contains(value.stringValue ?? "") { issue(path, "must be one of \(statuses.joined(separator: ", "))") }
        case .attribute:
            if case .bool = value, op.positive != .eq {
                issue(path, "\(op.rawValue) does not compare booleans")
            }
        }
    }

    private func containsString(_ value: JSONValue?) -> Bool {
        switch value {
        case .string?: true
        case .array(let elements)?: elements.contains { $0.stringValue != nil }
        default: false
        }
    }

    private func join(_ path: String, _ member: String) -> String {
        path.isEmpty ? member : "\(path).\(member)"
    }
}
