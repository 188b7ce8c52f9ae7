import Contracts

/// A segment's criteria: a JSON tree of `all` / `any` / `not` nodes with `{field, op, value}` leaves.
///
/// `{"all": []}` matches every user; `any` needs at least one child. Build one from JSON with
/// ``parse(_:at:)``, which reports every problem with its path (`criteria.all[2].op`).
public indirect enum Criteria: Hashable, Sendable {
    case all([Criteria])
    case any([Criteria])
    case not(Criteria)
    case condition(Condition)

    /// Deepest nesting accepted (the root is level 1).
    public static let maximumDepth = 10
    /// Most leaf conditions accepted in one tree.
    public static let maximumConditions = 200

    /// Parses and validates `json`; every problem is reported, each with its path below `path`.
    public static func parse(_ json: JSONValue, at path: String = "criteria") throws(CriteriaValidationError) -> Criteria {
        var parser = CriteriaParser()
        let criteria = parser.node(json, at: path, depth: 1)
        if parser.conditionCount > maximumConditions {
            parser.issues.append(CriteriaIssue(field: path, message: "must have at most \(maximumConditions) conditions"))
        }
        guard let criteria, parser.issues.isEmpty else { throw CriteriaValidationError(issues: parser.issues) }
        return criteria
    }

    /// The canonical JSON form (what ``parse(_:at:)`` reads back to an equal value).
    public var json: JSONValue {
        switch self {
        case .all(let children): ["all": .array(children.map(\.json))]
        case .any(let children): ["any": .array(children.map(\.json))]
        case .not(let child): ["not": child.json]
        case .condition(let condition): condition.json
        }
    }

    /// The leaf conditions in document order (the order explanations list them).
    public var conditions: [Condition] {
        switch self {
        case .all(let children), .any(let children): children.flatMap(\.conditions)
        case .not(let child): child.conditions
        case .condition(let condition): [condition]
        }
    }

    /// Whether the result can change with the date alone (`withinLastDays`, `olderThanDays`).
    public var isTimeRelative: Bool {
        conditions.contains { $0.op.isTimeRelative }
    }
}

extension Criteria: Codable {
    public init(from decoder: any Decoder) throws {
        let json = try JSONValue(from: decoder)
        do {
            self = try Criteria.parse(json, at: "")
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
