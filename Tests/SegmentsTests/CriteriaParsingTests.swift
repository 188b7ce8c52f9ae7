import Contracts
import Foundation
import Segments
import Testing

@Suite("Criteria parsing and validation")
struct CriteriaParsingTests {
    @Test func aValidTreeRoundTripsThroughItsCanonicalJSON() throws {
        let text = """
            {"all": [
                {"field": "department", "op": "eq", "value": "Sales"},
                {"any": [
                    {"field": "attributes.level", "op": "gte", "value": 3},
                    {"not": {"field": "location", "op": "in", "value": ["Berlin", "Paris"], "ignoreCase": true}}
                ]},
                {"field": "hireDate", "op": "withinLastDays", "value": 30},
                {"field": "managerId", "op": "exists"}
            ]}
            """
        let criteria = try parse(text)
        #expect(try Criteria.parse(criteria.json) == criteria)
        #expect(criteria.conditions.map(\.field.path) == ["department", "attributes.level", "location", "hireDate", "managerId"])
        #expect(criteria.conditions[2].ignoreCase)
        #expect(criteria.conditions[4].value == nil)
        #expect(criteria.isTimeRelative)
        let decoded = try JSONDecoder().decode(Criteria.self, from: Data(text.utf8))
        #expect(decoded == criteria)
        let encoded = try LMSJSON.encode(criteria)
        #expect(try LMSJSON.decode(Criteria.self, from: encoded) == criteria)
    }

    @Test func everyOperatorAndFieldNameParses() throws {
        for field in ProfileField.allCases {
            #expect(SegmentField(path: field.rawValue) == .profile(field))
        }
        #expect(SegmentField(path: "attributes.cost center") == .attribute("cost center"))
        #expect(SegmentField(path: "attributes.a.b")?.path == "attributes.a.b")
        #expect(SegmentField(path: "attributes.") == nil)
        #expect(SegmentField(path: "attributes." + String(repeating: "x", count: 65)) == nil)
        #expect(SegmentField(path: "attributes.tab\there") == nil)
        #expect(SegmentField(path: "Department") == nil)
        #expect(
            SegmentOperator.allCases.map(\.rawValue) == [
                "eq", "neq", "in", "notIn", "exists", "notExists", "contains", "startsWith", "endsWith", "gt", "gte", "lt", "lte",
                "before", "after", "withinLastDays", "olderThanDays",
            ])
    }

    @Test func errorsNameTheirPath() throws {
        let found = try issues(
            """
            {"all": [
                {"field": "department", "op": "eq", "value": "Sales"},
                {"field": "attributes.level", "op": "gte", "value": 3},
                {"field": "department", "op": "like", "value": "S%"}
            ]}
            """)
        #expect(found.map(\.field) == ["criteria.all[2].op"])
        #expect(found.first?.message.contains("eq, neq") == true)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let found = try issues(
            """
            {"any": [
                {"field": "shoeSize", "op": "eq", "value": 42},
                {"op": "eq", "value": "x"},
                {"field": "department"},
                {"not": {"field": "email", "op": "contains", "value": ""}},
                {"all": [{"field": "hireDate", "op": "before", "value": "2024-02-30"}], "extra": 1},
                {"field": "status", "op": "eq", "value": "erased", "note": "x"}
            ]}
            """)
        #expect(
            Set(found.map(\.field)) == [
                "criteria.any[0].field", "criteria.any[1].field", "criteria.any[2].op", "criteria.any[3].not.value",
                "criteria.any[4].extra", "criteria.any[4].all[0].value", "criteria.any[5].note", "criteria.any[5].value",
            ])
    }

    @Test(
        "Structural problems",
        arguments: [
            (#"[]"#, "criteria", "must be an object"),
            (#"{"all": [], "any": []}"#, "criteria", "only one of"),
            (#"{"any": []}"#, "criteria.any", "at least one"),
            (#"{"all": {"field": "email", "op": "exists"}}"#, "criteria.all", "array"),
            (#"{"not": []}"#, "criteria.not", "must be an object"),
            (#"{"all": [1]}"#, "criteria.all[0]", "must be an object"),
            (#"{"field": 1, "op": "eq", "value": "x"}"#, "criteria.field", "must be a string"),
            (#"{"field": "email", "op": true, "value": "x"}"#, "criteria.op", "must be a string"),
            (#"{"field": "email", "op": "eq", "value": "x", "ignoreCase": "yes"}"#, "criteria.ignoreCase", "boolean"),
        ])
    func structure(text: String, field: String, message: String) throws {
        let found = try issues(text)
        #expect(found.map(\.field) == [field])
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test(
        "Operator and value checks",
        arguments: [
            (#"{"field": "email", "op": "exists", "value": "x"}"#, "criteria.value", "omitted"),
            (#"{"field": "email", "op": "eq"}"#, "criteria.value", "required"),
            (#"{"field": "email", "op": "eq", "value": null}"#, "criteria.value", "exists or notExists"),
            (#"{"field": "email", "op": "eq", "value": 5}"#, "criteria.value", "string for email"),
            (#"{"field": "email", "op": "eq", "value": ["a"]}"#, "criteria.value", "string, number or boolean"),
            (#"{"field": "email", "op": "in", "value": "a"}"#, "criteria.value", "array"),
            (#"{"field": "email", "op": "in", "value": ["a", {"b": 1}]}"#, "criteria.value[1]", "string, number or boolean"),
            (#"{"field": "email", "op": "notIn", "value": ["a", 2]}"#, "criteria.value[1]", "string for email"),
            (#"{"field": "email", "op": "before", "value": "2024-01-01"}"#, "criteria.op", "does not apply"),
            (#"{"field": "department", "op": "withinLastDays", "value": 3}"#, "criteria.op", "does not apply"),
            (#"{"field": "hireDate", "op": "contains", "value": "2024"}"#, "criteria.op", "does not apply"),
            (#"{"field": "hireDate", "op": "eq", "value": "yesterday"}"#, "criteria.value", "date"),
            (#"{"field": "hireDate", "op": "in", "value": ["2024-01-01", "2024-13-01"]}"#, "criteria.value[1]", "date"),
            (#"{"field": "hireDate", "op": "withinLastDays", "value": -1}"#, "criteria.value", "whole number"),
            (#"{"field": "hireDate", "op": "olderThanDays", "value": 1.5}"#, "criteria.value", "whole number"),
            (#"{"field": "hireDate", "op": "olderThanDays", "value": "30"}"#, "criteria.value", "whole number"),
            (#"{"field": "hireDate", "op": "withinLastDays", "value": 36501}"#, "criteria.value", "whole number"),
            (#"{"field": "attributes.start", "op": "after", "value": "soon"}"#, "criteria.value", "date"),
            (#"{"field": "attributes.start", "op": "before", "value": 20240101}"#, "criteria.value", "date"),
            (#"{"field": "attributes.flag", "op": "gt", "value": true}"#, "criteria.value", "booleans"),
            (#"{"field": "attributes.tag", "op": "startsWith", "value": 5}"#, "criteria.value", "non-empty string"),
            (#"{"field": "status", "op": "eq", "value": "erased"}"#, "criteria.value", "active, deactivated"),
            (#"{"field": "status", "op": "startsWith", "value": "a"}"#, "criteria.op", "does not apply"),
            (#"{"field": "attributes.level", "op": "eq", "value": 5, "ignoreCase": true}"#, "criteria.ignoreCase", "string"),
            (#"{"field": "hireDate", "op": "eq", "value": "2024-01-01", "ignoreCase": true}"#, "criteria.ignoreCase", "string"),
            (#"{"field": "email", "op": "exists", "ignoreCase": true}"#, "criteria.ignoreCase", "string"),
            (#"{"field": "email", "op": "eq", "value": "a\u0000b"}"#, "criteria.value", "NUL"),
        ])
    func values(text: String, field: String, message: String) throws {
        let found = try issues(text)
        #expect(found.map(\.field) == [field], "\(text)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test func acceptedValueForms() throws {
        #expect(try issues(#"{"field": "email", "op": "exists", "value": null}"#).isEmpty)
        #expect(try issues(#"{"all": []}"#).isEmpty)
        #expect(try issues(#"{"field": "hireDate", "op": "eq", "value": "2024-05-01T23:30:00-05:00"}"#).isEmpty)
        #expect(try issues(#"{"field": "attributes.x", "op": "in", "value": ["a", 1, true]}"#).isEmpty)
        #expect(try issues(#"{"field": "attributes.x", "op": "in", "value": []}"#).isEmpty)
        #expect(try issues(#"{"field": "status", "op": "in", "value": ["active", "deactivated"]}"#).isEmpty)
        #expect(try issues(#"{"field": "department", "op": "gt", "value": "M", "ignoreCase": true}"#).isEmpty)
        #expect(try issues(#"{"field": "attributes.x", "op": "in", "value": [1, "a"], "ignoreCase": true}"#).isEmpty)
        #expect(try issues(#"{"field": "hireDate", "op": "withinLastDays", "value": 0}"#).isEmpty)
    }

    @Test func limitsOnSizeAndDepth() throws {
        var deep = #"{"field": "email", "op": "exists"}"#
        for _ in 0..<10 { deep = #"{"not": \#(deep)}"# }
        #expect(try issues(deep).first?.message.contains("deeper than 10") == true)

        let leaves = Array(repeating: #"{"field": "email", "op": "exists"}"#, count: 201).joined(separator: ",")
        #expect(try issues(#"{"all": [\#(leaves)]}"#).map(\.message) == ["must have at most 200 conditions"])

        let list = (0...1000).map { "\"v\($0)\"" }.joined(separator: ",")
        #expect(try issues(#"{"field": "email", "op": "in", "value": [\#(list)]}"#).map(\.field) == ["criteria.value"])
        let long = String(repeating: "x", count: 1025)
        #expect(try issues(#"{"field": "email", "op": "eq", "value": "\#(long)"}"#).map(\.field) == ["criteria.value"])
    }

    @Test func decodingInvalidCriteriaFailsWithTheIssues() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Criteria.self, from: Data(#"{"field": "x", "op": "eq", "value": 1}"#.utf8))
        }
        do {
            _ = try Criteria.parse(["field": "x"], at: "segment.criteria")
            Issue.record("expected a validation error")
        } catch {
            #expect(error.issues.map(\.field) == ["segment.criteria.field", "segment.criteria.op"])
            #expect(error.description.contains("segment.criteria.field"))
        }
    }
}
