import Contracts
import Segments
import Testing

/// One row of an operator table: a leaf condition, the user's raw values and the expected result.
struct OperatorCase: CustomTestStringConvertible, Sendable {
    var leaf: String
    var raw: [String: JSONValue]
    var expected: Bool

    init(_ leaf: String, _ raw: [String: JSONValue], _ expected: Bool) {
        self.leaf = leaf
        self.raw = raw
        self.expected = expected
    }

    var testDescription: String { "\(leaf) with \(raw) → \(expected)" }
}

@Suite("Operators")
struct OperatorTests {
    static let equality: [OperatorCase] = [
        OperatorCase(#"{"field": "department", "op": "eq", "value": "Sales"}"#, ["department": "Sales"], true),
        OperatorCase(#"{"field": "department", "op": "eq", "value": "Sales"}"#, ["department": "sales"], false),
        OperatorCase(#"{"field": "department", "op": "eq", "value": "Sales"}"#, ["department": "Sales "], false),
        OperatorCase(#"{"field": "department", "op": "eq", "value": "Sales"}"#, [:], false),
        OperatorCase(#"{"field": "department", "op": "eq", "value": "sales", "ignoreCase": true}"#, ["department": "SALES"], true),
        OperatorCase(#"{"field": "department", "op": "eq", "value": "ÄRZTE", "ignoreCase": true}"#, ["department": "ärzte"], true),
        // Byte-exact: a precomposed é is not the same string as e + combining accent.
        OperatorCase(#"{"field": "givenName", "op": "eq", "value": "Ren\u00e9"}"#, ["givenName": "Rene\u{301}"], false),
        OperatorCase(#"{"field": "department", "op": "neq", "value": "Sales"}"#, ["department": "HR"], true),
        OperatorCase(#"{"field": "department", "op": "neq", "value": "Sales"}"#, ["department": "Sales"], false),
        OperatorCase(#"{"field": "department", "op": "neq", "value": "Sales"}"#, [:], true),
        OperatorCase(#"{"field": "department", "op": "neq", "value": "sales", "ignoreCase": true}"#, ["department": "Sales"], false),
        OperatorCase(#"{"field": "userId", "op": "eq", "value": "u-1"}"#, [:], true),
        OperatorCase(#"{"field": "status", "op": "eq", "value": "active"}"#, [:], true),
        OperatorCase(#"{"field": "status", "op": "eq", "value": "deactivated"}"#, ["status": "deactivated"], true),
        OperatorCase(#"{"field": "status", "op": "neq", "value": "active"}"#, [:], false),
        OperatorCase(#"{"field": "email", "op": "eq", "value": "A@x.io", "ignoreCase": true}"#, ["email": "a@X.IO"], true),
        OperatorCase(#"{"field": "managerId", "op": "eq", "value": "m-1"}"#, ["managerId": "m-1"], true),
    ]

    static let attributes: [OperatorCase] = [
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": 5], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": 5.0], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": "5"], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": "5.0"], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": " 5"], false),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": "05"], false),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.level": true], false),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": "5"}"#, ["attributes.level": 5], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": "5.0"}"#, ["attributes.level": 5], false),
        OperatorCase(#"{"field": "attributes.ratio", "op": "eq", "value": "2.5"}"#, ["attributes.ratio": 2.5], true),
        OperatorCase(#"{"field": "attributes.level", "op": "neq", "value": 5}"#, ["attributes.level": true], true),
        OperatorCase(#"{"field": "attributes.level", "op": "neq", "value": 5}"#, [:], true),
        OperatorCase(#"{"field": "attributes.level", "op": "eq", "value": 5}"#, ["attributes.other": 5], false),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": true}"#, ["attributes.remote": true], true),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": true}"#, ["attributes.remote": "true"], true),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": true}"#, ["attributes.remote": "TRUE"], false),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": true}"#, ["attributes.remote": 1], false),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": false}"#, ["attributes.remote": false], true),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": "true"}"#, ["attributes.remote": true], true),
        OperatorCase(#"{"field": "attributes.remote", "op": "eq", "value": false}"#, [:], false),
        OperatorCase(#"{"field": "attributes.remote", "op": "neq", "value": true}"#, [:], true),
        OperatorCase(#"{"field": "attributes.cost center", "op": "eq", "value": "CC-1"}"#, ["attributes.cost center": "CC-1"], true),
        OperatorCase(#"{"field": "attributes.team", "op": "eq", "value": "Blue", "ignoreCase": true}"#, ["attributes.team": "bLUE"], true),
        // JSON null never reaches the projection: it is as good as missing.
        OperatorCase(#"{"field": "attributes.team", "op": "exists"}"#, ["attributes.team": .null], false),
        OperatorCase(#"{"field": "attributes.team", "op": "notExists"}"#, ["attributes.team": .null], true),
        OperatorCase(#"{"field": "attributes.team", "op": "neq", "value": "x"}"#, ["attributes.team": .null], true),
    ]

    static let lists: [OperatorCase] = [
        OperatorCase(#"{"field": "location", "op": "in", "value": ["Berlin", "Paris"]}"#, ["location": "Paris"], true),
        OperatorCase(#"{"field": "location", "op": "in", "value": ["Berlin", "Paris"]}"#, ["location": "paris"], false),
        OperatorCase(#"{"field": "location", "op": "in", "value": ["Berlin", "Paris"], "ignoreCase": true}"#, ["location": "PARIS"], true),
        OperatorCase(#"{"field": "location", "op": "in", "value": ["Berlin", "Paris"]}"#, ["location": "Rome"], false),
        OperatorCase(#"{"field": "location", "op": "in", "value": ["Berlin", "Paris"]}"#, [:], false),
        OperatorCase(#"{"field": "location", "op": "in", "value": []}"#, ["location": "Rome"], false),
        OperatorCase(#"{"field": "location", "op": "in", "value": []}"#, [:], false),
        OperatorCase(#"{"field": "location", "op": "notIn", "value": []}"#, ["location": "Rome"], true),
        OperatorCase(#"{"field": "location", "op": "notIn", "value": []}"#, [:], true),
        OperatorCase(#"{"field": "location", "op": "notIn", "value": ["Berlin", "Paris"]}"#, ["location": "Rome"], true),
        OperatorCase(#"{"field": "location", "op": "notIn", "value": ["Berlin", "Paris"]}"#, ["location": "Berlin"], false),
        OperatorCase(#"{"field": "location", "op": "notIn", "value": ["Berlin"]}"#, [:], true),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true]}"#, ["attributes.x": 2], true),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true]}"#, ["attributes.x": "2"], true),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true]}"#, ["attributes.x": true], true),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true]}"#, ["attributes.x": "A"], false),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true], "ignoreCase": true}"#, ["attributes.x": "A"], true),
        OperatorCase(#"{"field": "attributes.x", "op": "in", "value": ["a", 2, true]}"#, ["attributes.x": false], false),
        OperatorCase(#"{"field": "hireDate", "op": "in", "value": ["2024-01-01", "2024-06-01T01:00:00+02:00"]}"#, ["hireDate": "2024-05-31"], true),
        OperatorCase(#"{"field": "status", "op": "in", "value": ["active", "deactivated"]}"#, ["status": "deactivated"], true),
    ]

    static let presence: [OperatorCase] = [
        OperatorCase(#"{"field": "managerId", "op": "exists"}"#, ["managerId": "m-1"], true),
        OperatorCase(#"{"field": "managerId", "op": "exists"}"#, [:], false),
        OperatorCase(#"{"field": "managerId", "op": "notExists"}"#, [:], true),
        OperatorCase(#"{"field": "managerId", "op": "notExists"}"#, ["managerId": "m-1"], false),
        OperatorCase(#"{"field": "attributes.remote", "op": "exists"}"#, ["attributes.remote": false], true),
        OperatorCase(#"{"field": "attributes.level", "op": "exists"}"#, ["attributes.level": 0], true),
        OperatorCase(#"{"field": "attributes.note", "op": "exists"}"#, ["attributes.note": ""], true),
        OperatorCase(#"{"field": "department", "op": "exists"}"#, ["department": ""], true),
        OperatorCase(#"{"field": "hireDate", "op": "exists"}"#, ["hireDate": "2024-01-01"], true),
        // A stored hire date that is not a date is dropped on read.
        OperatorCase(#"{"field": "hireDate", "op": "exists"}"#, ["hireDate": "not a date"], false),
        OperatorCase(#"{"field": "status", "op": "exists"}"#, [:], true),
    ]

    static let strings: [OperatorCase] = [
        OperatorCase(#"{"field": "email", "op": "endsWith", "value": "@acme.com"}"#, ["email": "ann@acme.com"], true),
        OperatorCase(#"{"field": "email", "op": "endsWith", "value": "@acme.com"}"#, ["email": "ann@ACME.com"], false),
        OperatorCase(#"{"field": "email", "op": "endsWith", "value": "@acme.com", "ignoreCase": true}"#, ["email": "ann@ACME.com"], true),
        OperatorCase(#"{"field": "email", "op": "endsWith", "value": "@acme.com"}"#, ["email": "@acme.co"], false),
        OperatorCase(#"{"field": "email", "op": "endsWith", "value": "@acme.com"}"#, [:], false),
        OperatorCase(#"{"field": "jobRole", "op": "startsWith", "value": "Senior"}"#, ["jobRole": "Senior Engineer"], true),
        OperatorCase(#"{"field": "jobRole", "op": "startsWith", "value": "Senior"}"#, ["jobRole": "senior Engineer"], false),
        OperatorCase(#"{"field": "jobRole", "op": "startsWith", "value": "senior", "ignoreCase": true}"#, ["jobRole": "SENIOR"], true),
        OperatorCase(#"{"field": "jobRole", "op": "startsWith", "value": "Senior Engineer II"}"#, ["jobRole": "Senior"], false),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "Engineer"}"#, ["jobRole": "Senior Engineer II"], true),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "engineer"}"#, ["jobRole": "Senior Engineer II"], false),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "engineer", "ignoreCase": true}"#, ["jobRole": "Senior Engineer"], true),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "Engineer"}"#, ["jobRole": "Eng"], false),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "ü"}"#, ["jobRole": "Prüfer"], true),
        OperatorCase(#"{"field": "jobRole", "op": "contains", "value": "Prüfer"}"#, ["jobRole": "Prüfer"], true),
        OperatorCase(#"{"field": "attributes.level", "op": "startsWith", "value": "1"}"#, ["attributes.level": 12], true),
        OperatorCase(#"{"field": "attributes.flag", "op": "contains", "value": "ru"}"#, ["attributes.flag": true], true),
        // Ordering of strings is byte-wise: uppercase sorts before lowercase, "Z" < "a" < "é".
        OperatorCase(#"{"field": "familyName", "op": "gt", "value": "M"}"#, ["familyName": "Smith"], true),
        OperatorCase(#"{"field": "familyName", "op": "gt", "value": "M"}"#, ["familyName": "Adams"], false),
        OperatorCase(#"{"field": "familyName", "op": "gt", "value": "M"}"#, ["familyName": "adams"], true),
        OperatorCase(#"{"field": "familyName", "op": "gt", "value": "m", "ignoreCase": true}"#, ["familyName": "Adams"], false),
        OperatorCase(#"{"field": "familyName", "op": "gte", "value": "Smith"}"#, ["familyName": "Smith"], true),
        OperatorCase(#"{"field": "familyName", "op": "lt", "value": "Smith"}"#, ["familyName": "Smith"], false),
        OperatorCase(#"{"field": "familyName", "op": "lte", "value": "Smith"}"#, ["familyName": "Smith"], true),
        OperatorCase(#"{"field": "familyName", "op": "lt", "value": "a"}"#, ["familyName": "Zed"], true),
        OperatorCase(#"{"field": "familyName", "op": "lt", "value": "é"}"#, ["familyName": "z"], true),
        OperatorCase(#"{"field": "familyName", "op": "lt", "value": "Smith"}"#, [:], false),
    ]

    static let numbers: [OperatorCase] = [
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 3}"#, ["attributes.level": 4], true),
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 3}"#, ["attributes.level": 3], false),
        OperatorCase(#"{"field": "attributes.level", "op": "gte", "value": 3}"#, ["attributes.level": 3], true),
        OperatorCase(#"{"field": "attributes.level", "op": "lt", "value": 3}"#, ["attributes.level": 2.999], true),
        OperatorCase(#"{"field": "attributes.level", "op": "lte", "value": 3}"#, ["attributes.level": 3.001], false),
        OperatorCase(#"{"field": "attributes.level", "op": "lt", "value": 0}"#, ["attributes.level": -1], true),
        // Numeric, not textual: "10" > 9 although "10" < "9" as text.
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 9}"#, ["attributes.level": "10"], true),
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 9}"#, ["attributes.level": "1e2"], true),
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 9}"#, ["attributes.level": "ten"], false),
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 9}"#, ["attributes.level": true], false),
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": 9}"#, [:], false),
        // A string operand compares text: "10" < "9".
        OperatorCase(#"{"field": "attributes.level", "op": "gt", "value": "9"}"#, ["attributes.level": 10], false),
        OperatorCase(#"{"field": "attributes.grade", "op": "gte", "value": "B"}"#, ["attributes.grade": "C"], true),
    ]

    static let dates: [OperatorCase] = [
        OperatorCase(#"{"field": "hireDate", "op": "eq", "value": "2024-03-01"}"#, ["hireDate": "2024-03-01"], true),
        // Instants are taken as their UTC calendar day: 23:30 at UTC-5 is already the 2nd in UTC.
        OperatorCase(#"{"field": "hireDate", "op": "eq", "value": "2024-03-01T23:30:00-05:00"}"#, ["hireDate": "2024-03-02"], true),
        OperatorCase(#"{"field": "hireDate", "op": "eq", "value": "2024-03-02T00:30:00+02:00"}"#, ["hireDate": "2024-03-01"], true),
        OperatorCase(#"{"field": "hireDate", "op": "neq", "value": "2024-03-01"}"#, [:], true),
        OperatorCase(#"{"field": "hireDate", "op": "before", "value": "2024-03-01"}"#, ["hireDate": "2024-02-29"], true),
        OperatorCase(#"{"field": "hireDate", "op": "before", "value": "2024-03-01"}"#, ["hireDate": "2024-03-01"], false),
        OperatorCase(#"{"field": "hireDate", "op": "before", "value": "2024-03-01"}"#, [:], false),
        OperatorCase(#"{"field": "hireDate", "op": "after", "value": "2024-03-01"}"#, ["hireDate": "2024-03-02"], true),
        OperatorCase(#"{"field": "hireDate", "op": "after", "value": "2024-03-01"}"#, ["hireDate": "2024-03-01"], false),
        OperatorCase(#"{"field": "hireDate", "op": "gte", "value": "2024-03-01"}"#, ["hireDate": "2024-03-01"], true),
        OperatorCase(#"{"field": "hireDate", "op": "lt", "value": "2024-03-01"}"#, ["hireDate": "1999-12-31"], true),
        OperatorCase(#"{"field": "hireDate", "op": "gt", "value": "2024-03-01T12:00:00Z"}"#, ["hireDate": "2024-03-01"], false),
        OperatorCase(#"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#, ["attributes.start": "2024-03-02"], true),
        OperatorCase(#"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#, ["attributes.start": "2024-03-01T23:59:59Z"], false),
        OperatorCase(
            #"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#, ["attributes.start": "2024-03-01T23:00:00-02:00"], true),
        OperatorCase(#"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#, ["attributes.start": "March 2nd"], false),
        OperatorCase(#"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#, ["attributes.start": 20_240_302], false),
        OperatorCase(#"{"field": "attributes.start", "op": "gt", "value": "2024-03-01"}"#, ["attributes.start": "2024-03-01T23:00:00-02:00"], true),
        OperatorCase(#"{"field": "attributes.start", "op": "eq", "value": "2024-03-01"}"#, ["attributes.start": "2024-03-01T10:00:00Z"], false),
        OperatorCase(#"{"field": "attributes.start", "op": "before", "value": "2024-03-01"}"#, ["attributes.start": "2024-02-30"], false),
    ]

    /// Today is 2024-06-15.
    static let relative: [OperatorCase] = [
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#, ["hireDate": "2024-06-15"], true),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#, ["hireDate": "2024-05-16"], true),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#, ["hireDate": "2024-05-15"], false),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#, ["hireDate": "2024-06-16"], false),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#, [:], false),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 0}"#, ["hireDate": "2024-06-15"], true),
        OperatorCase(#"{"field": "hireDate", "op": "withinLastDays", "value": 0}"#, ["hireDate": "2024-06-14"], false),
        OperatorCase(#"{"field": "hireDate", "op": "olderThanDays", "value": 30}"#, ["hireDate": "2024-05-15"], true),
        OperatorCase(#"{"field": "hireDate", "op": "olderThanDays", "value": 30}"#, ["hireDate": "2024-05-16"], false),
        OperatorCase(#"{"field": "hireDate", "op": "olderThanDays", "value": 30}"#, ["hireDate": "2024-07-01"], false),
        OperatorCase(#"{"field": "hireDate", "op": "olderThanDays", "value": 0}"#, ["hireDate": "2024-06-14"], true),
        OperatorCase(#"{"field": "hireDate", "op": "olderThanDays", "value": 30}"#, [:], false),
        OperatorCase(
            #"{"field": "attributes.certifiedOn", "op": "olderThanDays", "value": 365}"#, ["attributes.certifiedOn": "2023-01-01T08:00:00+09:00"],
            true),
        OperatorCase(
            #"{"field": "attributes.certifiedOn", "op": "withinLastDays", "value": 1}"#, ["attributes.certifiedOn": "2024-06-13T23:30:00-02:00"], true
        ),
        OperatorCase(
            #"{"field": "attributes.certifiedOn", "op": "withinLastDays", "value": 1}"#, ["attributes.certifiedOn": "2024-06-13T21:30:00-02:00"],
            false),
        OperatorCase(#"{"field": "attributes.certifiedOn", "op": "withinLastDays", "value": 1}"#, ["attributes.certifiedOn": 5], false),
    ]

    static let all = equality + attributes + lists + presence + strings + numbers + dates + relative

    @Test("Operators on the user's readings", arguments: all) func operatorHolds(_ row: OperatorCase) throws {
        #expect(try holds(row.leaf, row.raw) == row.expected)
    }

    @Test func relativeOperatorsFollowTheInjectedDay() throws {
        let criteria = CompiledCriteria(try parse(#"{"field": "hireDate", "op": "withinLastDays", "value": 7}"#))
        let newHire = user(["hireDate": "2024-06-20"])
        let days = (0..<40).map { today.adding(days: $0) }
        let matching = days.filter { criteria.matches(newHire, today: $0) }
        #expect(matching.first?.description == "2024-06-20")
        #expect(matching.last?.description == "2024-06-27")
        #expect(matching.count == 8)
        let instant = try #require(RFC3339.parse("2024-06-27T23:59:59.999Z"))
        #expect(criteria.matches(newHire, today: CalendarDate(instant)))
        let nextDay = try #require(RFC3339.parse("2024-06-28T00:00:00Z"))
        #expect(!criteria.matches(newHire, today: CalendarDate(nextDay)))
    }

    @Test func everyOperatorHasCases() {
        let used = Set(
            Self.all.compactMap { row -> String? in
                guard let json = try? JSONValue(parsing: Array(row.leaf.utf8)) else { return nil }
                return json["op"]?.stringValue
            })
        #expect(used == Set(SegmentOperator.allCases.map(\.rawValue)))
    }
}
