import Contracts
import Segments
import Testing

/// Parses criteria JSON text (failing the test when it is invalid).
func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Criteria {
    let json = try JSONValue(parsing: Array(text.utf8))
    do {
        return try Criteria.parse(json)
    } catch {
        Issue.record("unexpected validation error: \(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// The validation issues of criteria JSON text (empty when valid).
func issues(_ text: String) throws -> [CriteriaIssue] {
    let json = try JSONValue(parsing: Array(text.utf8))
    do {
        _ = try Criteria.parse(json)
        return []
    } catch {
        return error.issues
    }
}

/// A user with the given raw field values (`userId` defaults to `u-1`, `status` to `active`).
func user(_ raw: [String: JSONValue]) -> SubjectValues {
    var values = raw
    if values["userId"] == nil { values["userId"] = "u-1" }
    if values["status"] == nil { values["status"] = "active" }
    return SubjectValues(raw: values)
}

/// 2024-06-15, the "today" of the evaluation tests.
let today = CalendarDate(year: 2024, month: 6, day: 15) ?? CalendarDate(daysSinceEpoch: 0)

/// Whether a single condition (JSON text of the leaf) holds for `raw` on `today`.
func holds(_ leaf: String, _ raw: [String: JSONValue], on day: CalendarDate = today) throws -> Bool {
    CompiledCriteria(try parse(leaf)).matches(user(raw), today: day)
}
