import Testing
import UserService

@Suite("CSV parser")
struct CSVParserTests {
    private func parse(_ text: String) throws -> [[String]] {
        try CSVParser.parse(Array(text.utf8)).map(\.fields)
    }

    @Test func readsPlainRecordsWithAnyLineEnding() throws {
        #expect(try parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\r\nc,d\r\n") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\rc,d\r") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,,b,\n,\n") == [["a", "", "b", ""], ["", ""]])
        #expect(try parse("a,") == [["a", ""]])
    }

    @Test func readsQuotedFields() throws {
        #expect(try parse(#""a,b","say ""hi""",c"#) == [["a,b", #"say "hi""#, "c"]])
        #expect(try parse("\"line\r\nbreak\",x\r\ny,z\r\n") == [["line\r\nbreak", "x"], ["y", "z"]])
        #expect(try parse(#""",x"#) == [["", "x"]])
        #expect(try parse(#"ab"c,d"#) == [[#"ab"c"#, "d"]], "a quote inside an unquoted field is text")
    }

    @Test func skipsBlankLinesAndTheByteOrderMark() throws {
        #expect(try CSVParser.parse([0xEF, 0xBB, 0xBF] + Array("id\n\n1\r\n\r\n".utf8)).map(\.fields) == [["id"], ["1"]])
        #expect(try parse("") == [])
    }

    @Test func recordsKnowTheirFirstLine() throws {
        let records = try CSVParser.parse(Array("h\n\"a\nb\"\nc\n".utf8))
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func refusesBrokenQuoting() {
        #expect(throws: CSVSyntaxError(line: 2, message: "a quoted field is not closed")) { try parse("a\n\"b,c\nd") }
        #expect(throws: CSVSyntaxError(line: 1, message: "unexpected text after a closing quote")) { try parse(#""a"b,c"#) }
    }
}
