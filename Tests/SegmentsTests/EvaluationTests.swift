import Contracts
import Foundation
import Segments
import Testing

@Suite("Evaluation, explanations and user readings")
struct EvaluationTests {
    static let newHireRule = """
        {"all": [
            {"field": "hireDate", "op": "withinLastDays", "value": 30},
            {"any": [
                {"field": "department", "op": "in", "value": ["Sales", "Support"]},
                {"field": "attributes.level", "op": "gte", "value": 5}
            ]},
            {"not": {"field": "attributes.contractor", "op": "eq", "value": true}},
            {"field": "managerId", "op": "notExists"}
        ]}
        """

    @Test func combinators() throws {
        let sales = user(["department": "Sales"])
        #expect(CompiledCriteria(try parse(#"{"all": []}"#)).matches(sales, today: today))
        #expect(CompiledCriteria(try parse(#"{"not": {"all": []}}"#)).matches(sales, today: today) == false)
        let any = CompiledCriteria(
            try parse(#"{"any": [{"field": "department", "op": "eq", "value": "HR"}, {"field": "department", "op": "eq", "value": "Sales"}]}"#))
        #expect(any.matches(sales, today: today))
        #expect(!any.matches(user(["department": "IT"]), today: today))
        let both = CompiledCriteria(
            try parse(#"{"all": [{"field": "department", "op": "eq", "value": "Sales"}, {"field": "location", "op": "eq", "value": "Oslo"}]}"#))
        #expect(!both.matches(sales, today: today))
        #expect(both.matches(user(["department": "Sales", "location": "Oslo"]), today: today))
        // `not` of a condition on a missing value holds, like the negated operators.
        let notEq = CompiledCriteria(try parse(#"{"not": {"field": "department", "op": "eq", "value": "Sales"}}"#))
        let neq = CompiledCriteria(try parse(#"{"field": "department", "op": "neq", "value": "Sales"}"#))
        for values in [sales, user([:]), user(["department": "HR"])] {
            #expect(notEq.matches(values, today: today) == neq.matches(values, today: today))
        }
    }

    @Test func explanationListsEveryConditionWithTheValueSeen() throws {
        let criteria = CompiledCriteria(try parse(Self.newHireRule))
        let values = user(["hireDate": "2024-06-10", "department": "Support", "attributes.level": 2, "attributes.contractor": false])
        let evaluation = criteria.evaluate(values, today: today)
        #expect(evaluation.matched)
        #expect(evaluation.matched == criteria.matches(values, today: today))
        #expect(
            evaluation.conditions == [
                ConditionExplanation(field: "hireDate", op: "withinLastDays", expected: 30, actual: "2024-06-10", result: true),
                ConditionExplanation(field: "department", op: "in", expected: ["Sales", "Support"], actual: "Support", result: true),
                ConditionExplanation(field: "attributes.level", op: "gte", expected: 5, actual: 2, result: false),
                ConditionExplanation(field: "attributes.contractor", op: "eq", expected: true, actual: false, result: false),
                ConditionExplanation(field: "managerId", op: "notExists", expected: nil, actual: nil, result: true),
            ])
    }

    @Test func explanationOfANonMatch() throws {
        let criteria = CompiledCriteria(try parse(Self.newHireRule))
        let values = user(["hireDate": "2023-01-10", "department": "Sales", "managerId": "m-9"])
        let evaluation = criteria.evaluate(values, today: today)
        #expect(!evaluation.matched)
        #expect(evaluation.conditions.map(\.result) == [false, true, false, false, false])
        #expect(evaluation.conditions[3].actual == nil, "a missing attribute is reported as absent")
        #expect(evaluation.conditions[4].actual == "m-9")
    }

    @Test func readingsFromASnapshot() throws {
        let snapshot = UserSnapshot(
            tenantId: "acme", userId: "u-7", email: "Ann@Acme.com", givenName: "Ann", familyName: "Lee", jobRole: "Engineer",
            department: "R&D", location: nil, hireDate: CalendarDate("2024-06-01"), managerId: "m-1",
            attributes: ["level": 3, "remote": true, "costCenter": "0042", "budget": "1500", "start": "2024-06-01T22:00:00-03:00", "ratio": 0.25],
            status: .active, changedFields: [], version: 4, updatedAt: Date())
        let values = SubjectValues(snapshot: snapshot)
        #expect(values.raw["location"] == nil)
        #expect(values.raw["userId"] == "u-7")
        #expect(values.text["status"] == "active")
        #expect(values.text["email"] == "Ann@Acme.com")
        #expect(values.folded["email"] == "ann@acme.com")
        #expect(values.day["hireDate"] == CalendarDate("2024-06-01")?.daysSinceEpoch)
        #expect(values.text["hireDate"] == "2024-06-01")
        #expect(values.text["attributes.level"] == "3")
        #expect(values.number["attributes.level"] == 3)
        #expect(values.bool["attributes.remote"] == true)
        #expect(values.text["attributes.remote"] == "true")
        #expect(values.number["attributes.budget"] == 1500, "a numeric string also reads as a number")
        #expect(values.number["attributes.costCenter"] == nil, "leading zeros are not JSON number syntax: an identifier, not a number")
        #expect(values.text["attributes.costCenter"] == "0042")
        #expect(values.day["attributes.start"] == CalendarDate("2024-06-02")?.daysSinceEpoch, "UTC day of the instant")
        #expect(values.text["attributes.ratio"] == "0.25")
        #expect(values.bool["attributes.level"] == nil)
        #expect(SubjectValues(raw: SubjectValues.raw(of: snapshot)) == values, "storage round trip")
    }

    @Test func readingsAreSanitisedAndUnknownPathsIgnored() {
        let values = SubjectValues(raw: ["department": "a\u{0}b", "shoeSize": 42, "attributes.": "x", "hireDate": "2024-02-30"])
        #expect(values.text["department"] == "a\u{FFFD}b")
        #expect(values.raw["shoeSize"] == nil)
        #expect(values.raw.count == 1)
        #expect(ValueCoercion.text(5) == "5")
        #expect(ValueCoercion.text(-0.5) == "-0.5")
        #expect(ValueCoercion.text(1e300) == "1e+300")
        #expect(ValueCoercion.number("-0") == 0)
        #expect(ValueCoercion.number("1.") == nil)
        #expect(ValueCoercion.number(".5") == nil)
        #expect(ValueCoercion.number("+1") == nil)
        #expect(ValueCoercion.number("1e") == nil)
        #expect(ValueCoercion.number("1E+2") == 100)
        #expect(ValueCoercion.number("1e999") == nil)
        #expect(ValueCoercion.number("") == nil)
        #expect(ValueCoercion.day("2024-02-29") == CalendarDate("2024-02-29")?.daysSinceEpoch)
        #expect(ValueCoercion.day("2023-02-29") == nil)
        #expect(ValueCoercion.day("2024-01-01T00:00:00+00:30") == CalendarDate("2023-12-31")?.daysSinceEpoch)
    }

    @Test func sqlTranslationBindsEveryValue() throws {
        let criteria = CompiledCriteria(
            try parse(
                #"{"all": [{"field": "department", "op": "eq", "value": "Sales'; DROP TABLE users; --"},"#
                    + #"{"field": "hireDate", "op": "withinLastDays", "value": 30}, {"field": "location", "op": "notIn", "value": []}]}"#))
        let fragment = criteria.sql(today: today, parameterOffset: 2)
        #expect(!fragment.sql.contains("DROP"))
        #expect(fragment.sql.hasPrefix("(COALESCE(((v_text ->> $3::text) = $4::text), FALSE)"))
        #expect(fragment.sql.contains("BETWEEN $6::int8 AND $7::int8"))
        #expect(fragment.sql.hasSuffix("(NOT COALESCE(FALSE, FALSE)))"))
        #expect(fragment.binds.first == .text("department"))
        #expect(fragment.binds[3] == .int(today.daysSinceEpoch - 30))
        #expect(fragment.binds.count == 6)
        #expect(CompiledCriteria(try parse(#"{"all": []}"#)).sql(today: today).sql == "TRUE")
    }
}
