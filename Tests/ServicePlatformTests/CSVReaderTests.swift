import ServicePlatform
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    private func parse(_ text: String) throws -> [[String]] {
        try CSVReader.records(Array(text.utf8)).map(\.fields)
    }

    @Test func readsPlainRecordsWithAnyLineEnding() throws {
        #expect(try parse("a,b\nc,d") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\r\nc,d\r\n") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\rc,d\r") == [["a", "b"], ["c", "d"]])
        #expect(try parse("a,b\r\nc,d\ne,f\rg") == [["a", "b"], ["c", "d"], ["e", "f"], ["g"]])
        #expect(try parse("a,,b,\n,\n") == [["a", "", "b", ""], ["", ""]])
        #expect(try parse("a,") == [["a", ""]])
    }

    @Test func readsQuotedFields() throws {
        #expect(try parse(#""a,b","say ""hi""",c"#) == [["a,b", #"say "hi""#, "c"]])
        #expect(try parse("\"line\r\nbreak\",x\r\ny,z\r\n") == [["line\r\nbreak", "x"], ["y", "z"]])
        #expect(try parse("\"multi\nline\",\nlast") == [["multi\nline", ""], ["last"]])
        #expect(try parse(#""",x"#) == [["", "x"]])
        #expect(try parse(#""""""#) == [[#"""#]])
        #expect(try parse(#"ab"c,d"#) == [[#"ab"c"#, "d"]], "a quote inside an unquoted field is text")
    }

    @Test func skipsBlankLinesTheEmptyTrailingLineAndTheByteOrderMark() throws {
        #expect(try CSVReader.records([0xEF, 0xBB, 0xBF] + Array("id\n\n1\r\n\r\n".utf8)).map(\.fields) == [["id"], ["1"]])
        #expect(try parse("id\n1\n") == [["id"], ["1"]])
        #expect(try parse("\u{FEFF}userId,role\r\n\"u,1\",learner\n") == [["userId", "role"], ["u,1", "learner"]])
        #expect(try parse("") == [])
        #expect(try parse("\n\r\n") == [])
    }

    @Test func recordsKnowTheirFirstLine() throws {
        #expect(try CSVReader.records(Array("h\n\"a\nb\"\nc\n".utf8)).map(\.line) == [1, 2, 4])
        #expect(try CSVReader.records(Array("h\r\n\r\n\"a\r\nb\"\rc\n".utf8)).map(\.line) == [1, 3, 5])
    }

    @Test func refusesBrokenQuoting() {
        #expect(throws: CSVSyntaxError(line: 2, message: "a quoted field is not closed")) { try parse("a\n\"b,c\nd") }
        #expect(throws: CSVSyntaxError(line: 1, message: "unexpected text after a closing quote")) { try parse(#""a"b,c"#) }
        #expect(CSVSyntaxError(line: 3, message: "a quoted field is not closed").description == "line 3: a quoted field is not closed")
    }

    /// A bad row is an error of its own; the rows around it are read.
    @Test func aBadRowAmongGoodOnesSpoilsOnlyItself() throws {
        let text = "id,name\n1,\"Ann\"\n2,\"Bo\"b,\"x\ny\"\n3,Cy\r\n4,\"open\n5,never"
        let rows = CSVReader.rows(Array(text.utf8))
        #expect(rows.count == 5)
        #expect(try rows[0].get() == CSVRecord(line: 1, fields: ["id", "name"]))
        #expect(try rows[1].get() == CSVRecord(line: 2, fields: ["1", "Ann"]))
        #expect(throws: CSVSyntaxError(line: 3, message: "unexpected text after a closing quote")) { try rows[2].get() }
        #expect(try rows[3].get() == CSVRecord(line: 5, fields: ["3", "Cy"]))
        #expect(throws: CSVSyntaxError(line: 6, message: "a quoted field is not closed")) { try rows[4].get() }
    }
}
