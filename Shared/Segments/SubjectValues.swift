import Contracts

/// One user as conditions see it: the raw value of each field path plus its typed readings.
///
/// Built from the raw values only, so the same user always has the same readings, whether it comes
/// from an event (``init(snapshot:)``) or from storage (``init(raw:)``). The projection stores the
/// readings as JSON objects so the SQL translation compares exactly what the evaluator compares.
public struct SubjectValues: Hashable, Sendable {
    /// Field path → value as received (strings, numbers, booleans); absent when unset.
    public private(set) var raw: [String: JSONValue] = [:]
    /// Every present value as text: strings as they are, numbers canonical (`5`, `2.5`),
    /// booleans `true` / `false`, `hireDate` as `YYYY-MM-DD`.
    public private(set) var text: [String: String] = [:]
    /// `text` lowercased, for `ignoreCase`.
    public private(set) var folded: [String: String] = [:]
    /// Numbers, and attribute strings in JSON number syntax.
    public private(set) var number: [String: Double] = [:]
    /// Booleans, and attribute strings `true` / `false`.
    public private(set) var bool: [String: Bool] = [:]
    /// Days since 1970-01-01 of `hireDate` and of attribute strings that are dates or RFC 3339
    /// date-times (their UTC day).
    public private(set) var day: [String: Int64] = [:]

    /// The values stored for a user; keys are field paths. Unknown paths and `null`s are ignored.
    public init(raw: [String: JSONValue]) {
        for (path, value) in raw {
            guard let field = SegmentField(path: path) else { continue }
            add(field, value)
        }
    }

    /// The fields of a `lms.user.upserted` snapshot.
    public init(snapshot: UserSnapshot) {
        self.init(raw: Self.raw(of: snapshot))
    }

    /// Field path → value of a snapshot (unset fields left out).
    public static func raw(of snapshot: UserSnapshot) -> [String: JSONValue] {
        var raw: [String: JSONValue] = ["userId": .string(snapshot.userId), "status": .string(snapshot.status.rawValue)]
        let optional: [(ProfileField, String?)] = [
            (.email, snapshot.email), (.givenName, snapshot.givenName), (.familyName, snapshot.familyName),
            (.jobRole, snapshot.jobRole), (.department, snapshot.department), (.location, snapshot.location),
            (.hireDate, snapshot.hireDate?.description), (.managerId, snapshot.managerId),
        ]
        for (field, value) in optional {
            if let value { raw[field.rawValue] = .string(value) }
        }
        for (name, value) in snapshot.attributes where SegmentField.isValidAttributeName(name) {
            raw[SegmentField.attributePrefix + name] = JSONValue(value)
        }
        return raw
    }

    private mutating func add(_ field: SegmentField, _ value: JSONValue) {
        let path = field.path
        switch (field.kind, value) {
        case (.date, .string(let string)):
            guard let days = ValueCoercion.day(string) else { return }
            let date = CalendarDate(daysSinceEpoch: days).description
            raw[path] = .string(date)
            setText(date, at: path)
            day[path] = days
        case (.text, .string(let string)), (.status, .string(let string)):
            let clean = ValueCoercion.sanitized(string)
            raw[path] = .string(clean)
            setText(clean, at: path)
        case (.attribute, .string(let string)):
            let clean = ValueCoercion.sanitized(string)
            raw[path] = .string(clean)
            setText(clean, at: path)
            number[path] = ValueCoercion.number(clean)
            bool[path] = ValueCoercion.bool(clean)
            day[path] = ValueCoercion.day(clean)
        case (.attribute, .number(let value)) where value.isFinite:
            raw[path] = .number(value)
            setText(ValueCoercion.text(value), at: path)
            number[path] = value
        case (.attribute, .bool(let flag)):
            raw[path] = .bool(flag)
            setText(flag ? "true" : "false", at: path)
            bool[path] = flag
        default:
            return
        }
    }

    private mutating func setText(_ value: String, at path: String) {
        text[path] = value
        folded[path] = ValueCoercion.folded(value)
    }

    /// The value a condition on `field` saw, as explanations report it.
    public func actual(_ field: SegmentField) -> JSONValue? {
        raw[field.path]
    }
}
