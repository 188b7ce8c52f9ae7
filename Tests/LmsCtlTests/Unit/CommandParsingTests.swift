import Contracts
import ServiceHTTP
import Testing

@testable import LmsCtl

@Suite("Command helpers")
struct CommandParsingTests {
    @Test func tokenRolesAndLifetimes() throws {
        #expect(try Token.roles("admin, learner,admin") == [.admin, .learner])
        #expect(throws: CLIError.self) { try Token.roles("admin,root") }
        #expect(throws: CLIError.self) { try Token.roles(",") }
        #expect(Token.seconds("3600") == 3600)
        #expect(Token.seconds("30m") == 1800)
        #expect(Token.seconds("12h") == 43_200)
        #expect(Token.seconds("7d") == 604_800)
        #expect(Token.seconds("soon") == nil)
    }

    @Test func rulePreviewTableListsEachBucket() throws {
        let preview = try JSONValue(
            parsing: Array(
                """
                {"ruleId":"r-1","version":3,"evaluated":120,"matching":40,"inEffect":false,
                 "wouldEnroll":{"count":12,"users":6,"sample":[{"userId":"u1","courseId":"c1"},{"userId":"u2","courseId":"c1"}]},
                 "wouldWithdraw":{"count":1,"users":1,"sample":[{"userId":"u9","courseId":"c2"}]},
                 "wouldSuspend":{"count":0,"users":0,"sample":[]},"wouldKeep":{"count":3,"users":3,"sample":[]},
                 "wouldIgnore":{"count":0,"users":0,"sample":[]},"wouldRelease":{"count":0,"users":0,"sample":[]}}
                """.utf8))
        let text = RulesPreview.render(preview, samples: 1)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "ruleId r-1  version 3  evaluated 120  matching 40  inEffect false")
        #expect(lines[3] == "would enroll       12      6  u1→c1, …")
        #expect(lines[4] == "would withdraw      1      1  u9→c2")
        #expect(lines.count == 2 + 1 + 6)
    }

    @Test func jsonTablesPutPreferredColumnsFirstAndFlattenObjects() throws {
        let items = try JSONValue(
            parsing: Array(#"[{"value":"R&D","assigned":10,"rate":0.75,"by":{"a":1}},{"value":"Ops","assigned":3,"extra":null}]"#.utf8))
        let table = JSONOutput.table(items.arrayValue ?? [], preferred: ["value", "assigned", "missing"])
        #expect(table.columns == ["value", "assigned", "by.a", "extra", "rate"])
        #expect(table.rows == [["R&D", "10", "1", "", "0.75"], ["Ops", "3", "", "", ""]])
        #expect(JSONOutput.cell(.number(1.0 / 3.0)) == "0.3333")
        #expect(JSONOutput.cell(["a", "b"]) == "a,b")
        let keyValue = JSONOutput.keyValueTable(["title": "T", "courseId": "c1", "selfEnrollment": ["enabled": true]], preferred: ["courseId"])
        #expect(keyValue.rows == [["courseId", "c1"], ["selfEnrollment.enabled", "true"], ["title", "T"]])
    }

    @Test func pathSegmentsAndQueriesAreEncoded() {
        #expect(APIClient.segment("c 1/x") == "c%201%2Fx")
        #expect(APIClient.query([("courseId", "a&b"), ("department", nil)]) == "?courseId=a%26b")
        #expect(APIClient.query([]) == "")
    }
}
