import ServiceHTTP
import Testing

@testable import LmsCtl

/// Data from the APIs and the DLQ topic (attacker-controlled) must not drive the terminal or run
/// as a spreadsheet formula when lmsctl prints or exports it (review findings L6, L7).
@Suite("Terminal and CSV safety")
struct TerminalSafetyTests {
    @Test("ESC, other C0 controls, DEL and C1 controls are replaced; tab and newline stay")
    func sanitizesControls() {
        let hostile = "ok\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{7F}\r\u{0}\tend\n"
        let clean = TerminalText.sanitized(hostile)
        #expect(!clean.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\t" && $0 != "\n" })
        #expect(clean == "ok\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\u{FFFD}31m\u{FFFD}\u{FFFD}\u{FFFD}\tend\n")
        #expect(TerminalText.sanitized("Zoë 学习 ✓") == "Zoë 学习 ✓")
        #expect(TerminalText.sanitized("a\r\nb", keeping: ["\r", "\n"]) == "a\r\nb")
    }

    @Test("Table cells carry no escape sequences")
    func tableCellsAreSanitized() {
        let table = TextTable(columns: ["key", "message"], rows: [["k\u{1B}[31m", "boom\u{9B}2J\u{7}"]])
        let rendered = table.render()
        #expect(!rendered.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{7}" })
        #expect(rendered.contains("k\u{FFFD}[31m"))
    }

    @Test("Pretty JSON escapes DEL and C1 characters and stays the same data")
    func jsonEscapesC1() throws {
        let pretty = JSONOutput.pretty(Array(#"{"m":"a\u001b[2J\u009b31m\u007f"}"#.utf8))
        #expect(!pretty.unicodeScalars.contains { TerminalText.isControl($0) && $0 != "\n" })
        #expect(pretty.contains(#"\u009b31m\u007f"#))
        #expect(JSONOutput.pretty(Array(pretty.utf8)) == pretty)
    }

    @Test("CSV export guards formulas like the services, TAB and CR included")
    func csvFormulaGuard() {
        #expect(CSVFormat.field("=HYPERLINK(\"http://evil\")") == "\"'=HYPERLINK(\"\"http://evil\"\")\"")
        #expect(CSVFormat.field("\t=1+1") == "'\t=1+1")
        #expect(CSVFormat.field("-12.5") == "-12.5")
        #expect(CSVFormat.field("u-1") == "u-1")
    }
}
