import Contracts
import ServiceHTTP
import Testing

/// CSV injection (review finding L6): spreadsheets treat a cell starting with `=`, `+`, `-`, `@`,
/// TAB or CR as a formula.
@Suite("CSV fields")
struct CSVFormatTests {
    @Test("Formula triggers are neutralised, TAB and CR included; plain numbers are not")
    func formulaGuard() {
        #expect(CSVFormat.field("=1+1") == "'=1+1")
        #expect(CSVFormat.field("+1") == "+1")
        #expect(CSVFormat.field("+cmd") == "'+cmd")
        #expect(CSVFormat.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVFormat.field("-3") == "-3")
        #expect(CSVFormat.field("\t=cmd|' /C calc'!A0") == "'\t=cmd|' /C calc'!A0")
        #expect(CSVFormat.field("\r=1+1") == "\"'\r=1+1\"")
        #expect(CSVFormat.field("plain") == "plain")
    }

    @Test("A download's file name cannot break out of its header parameter (I2)")
    func contentDispositionFilename() {
        #expect(CSVFormat.contentDisposition(filename: "transcript-u-1.csv") == #"attachment; filename="transcript-u-1.csv""#)
        #expect(
            CSVFormat.contentDisposition(filename: "transcript-a\";b\r\nX: y/ü.csv")
                == #"attachment; filename="transcript-a__b__X__y__.csv""#
        )
    }

    @Test("A CRLF inside a field is quoted")
    func quotesCRLF() {
        #expect(CSVFormat.field("a\r\nb") == "\"a\r\nb\"")
        #expect(CSVFormat.record(["a,b", "say \"hi\""]) == "\"a,b\",\"say \"\"hi\"\"\"\r\n")
    }
}
