import Contracts
import ServiceHTTP
import Testing
import UserService

@Suite("Import columns")
struct ImportColumnsTests {
    @Test func headerNamesMatchFieldsLooselyAndTheRestAreAttributes() throws {
        let columns = try ImportColumns(header: [" User_ID ", "E-Mail", "first name", "LastName", "hire date", "attributes.Cost Center", "Site"])
        #expect(
            columns.columns == [
                .userId, .field("email"), .field("givenName"), .field("familyName"), .field("hireDate"), .attribute("Cost Center"),
                .attribute("Site"),
            ])
    }

    @Test func unusableHeadersAreReportedPerColumn() {
        #expect(throws: ImportHeaderError(errors: [FieldError(field: "header", message: "a userId column is required")])) {
            try ImportColumns(header: ["email"])
        }
        do {
            _ = try ImportColumns(header: ["userId", "Version", "", "email", "EMAIL", String(repeating: "x", count: 65)])
            Issue.record("the header is refused")
        } catch {
            #expect(error.errors.map(\.field) == ["header[2]", "header[3]", "header[5]", "header[6]"])
        }
    }

    @Test func rowsBecomeMergePatches() throws {
        let columns = try ImportColumns(header: ["userId", "email", "department", "costCenter"])
        let row = columns.row(number: 3, cells: [" u-1 ", "a@b.co", "", " CC-1 "])
        #expect(row.number == 3 && row.userId == "u-1" && row.errors.isEmpty)
        #expect(row.patch == ["email": "a@b.co", "department": nil, "attributes": ["costCenter": "CC-1"]])

        let bad = columns.row(number: 4, cells: ["", "", "x", "y"])
        #expect(bad.errors.map(\.field) == ["userId", "email"])
        let short = columns.row(number: 5, cells: ["u-2", "a@b.co"])
        #expect(short.userId == "u-2" && short.errors == [FieldError(field: "row", message: "has 2 cells; the header has 4 columns")])
    }
}
