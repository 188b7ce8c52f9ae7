import ServiceHTTP
import Testing

@testable import LmsCtl

@Suite("Text tables and CSV")
struct TextTableTests {
    @Test func alignsColumnsAndRightAlignsNumbers() {
        let table = TextTable(columns: ["userId", "count", "result"], rows: [["u-1", "7", "created"], ["user-22", "1,234", "rejected"]])
        #expect(
            table.render() == """
                userId   count  result
                -------  -----  --------
                u-1          7  created
                user-22  1,234  rejected
                """
        )
    }

    @Test func keepsOneRowPerLineAndPadsMissingCells() {
        let table = TextTable(columns: ["a", "b"], rows: [["x\ny"], ["long value", "z"]])
        let lines = table.render().split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "x y         ")
        #expect(lines[3] == "long value  z")
    }

    @Test func numericDetection() {
        #expect(TextTable.isNumber("12"))
        #expect(TextTable.isNumber("-3.5"))
        #expect(TextTable.isNumber("85%"))
        #expect(TextTable.isNumber("100,000"))
        #expect(!TextTable.isNumber("1.2.3"))
        #expect(!TextTable.isNumber("u-1"))
        #expect(!TextTable.isNumber(""))
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(CSVFormat.field("a,b") == "\"a,b\"")
        #expect(CSVFormat.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.field("two\nlines") == "\"two\nlines\"")
        let table = TextTable(columns: ["k", "v"], rows: [["1", "a,b"]])
        #expect(table.csv() == "k,v\n1,\"a,b\"\n")
    }

    @Test func countsRecordsAcrossChunksQuotesAndLineEndings() {
        let text = "userId,note\r\nu1,\"multi\r\nline, with comma\"\r\nu2,\"\"\"quoted\"\"\"\n\nu3,last"
        #expect(CSVRecordCounter.count(Array(text.utf8)) == 4)
        // Fed one byte at a time, the count is the same (quotes and CRLF split across chunks).
        var counter = CSVRecordCounter()
        for byte in text.utf8 { counter.feed([byte]) }
        #expect(counter.records == 3)
        counter.finish()
        #expect(counter.records == 4)
        #expect(CSVRecordCounter.count(Array("a\nb\n".utf8)) == 2)
        #expect(CSVRecordCounter.count([UInt8]()) == 0)
    }
}
