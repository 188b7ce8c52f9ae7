import Contracts
import Foundation
import Testing

@Suite("CalendarDate, AttributeValue and RFC 3339 instants")
struct ValueTypeTests {
    @Test(
        "CalendarDate accepts real dates only",
        arguments: [
            ("2024-02-29", true), ("2023-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
            ("2024-04-31", false), ("2024-12-31", true), ("2024-13-01", false), ("2024-00-10", false),
            ("2024-01-00", false), ("0000-01-01", false), ("0001-01-01", true), ("9999-12-31", true),
            ("2024-1-01", false), ("24-01-01", false), ("2024-01-01T00:00:00Z", false), ("2024/01/01", false),
            ("", false), (" 2024-01-01", false), ("２０２４-01-01", false),
        ])
    func calendarDateParsing(text: String, valid: Bool) {
        #expect((CalendarDate(text) != nil) == valid)
        if valid { #expect(CalendarDate(text)?.description == text) }
    }

    @Test("CalendarDate coding, ordering, arithmetic")
    func calendarDateBehaviour() throws {
        let date = try #require(CalendarDate("2024-02-28"))
        #expect(String(decoding: try LMSJSON.encode([date]), as: UTF8.self) == #"["2024-02-28"]"#)
        #expect(try LMSJSON.decode([CalendarDate].self, from: Array(#"["2024-02-28"]"#.utf8)) == [date])
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode([String: CalendarDate].self, from: Array(#"{"hireDate":"2024-02-30"}"#.utf8))
        }
        #expect(error?.field == "hireDate")
        #expect(date < (try #require(CalendarDate("2024-02-29"))))
        #expect(try #require(CalendarDate("2023-12-31")) < date)
        #expect(date.adding(days: 1).description == "2024-02-29")
        #expect(date.adding(days: 2).description == "2024-03-01")
        #expect(date.adding(days: -59).description == "2023-12-31")
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(try #require(CalendarDate("1969-12-31")).daysSinceEpoch == -1)
        #expect(CalendarDate(Date(timeIntervalSince1970: 1_796_891_813.123)).description == "2026-12-10")
        #expect(CalendarDate(Date(timeIntervalSince1970: -0.5)).description == "1969-12-31")
        #expect(try #require(CalendarDate("2026-12-10")).startOfDayUTC == Date(timeIntervalSince1970: 1_796_860_800))
        #expect(CalendarDate(daysSinceEpoch: .max).description == "9999-12-31")
        #expect(CalendarDate(daysSinceEpoch: .min).description == "0001-01-01")
        #expect(CalendarDate(year: 2024, month: 2, day: 30) == nil)
    }

    @Test(
        "AttributeValue decodes plain JSON scalars",
        arguments: [
            (#""CC-42""#, AttributeValue.string("CC-42")), ("3", .number(3)), ("0.8", .number(0.8)),
            ("true", .bool(true)), ("false", .bool(false)), (#""true""#, .string("true")), (#""""#, .string("")),
            ("-1e3", .number(-1000)),
        ])
    func attributeScalars(json: String, expected: AttributeValue) throws {
        #expect(try LMSJSON.decode(AttributeValue.self, from: Array(json.utf8)) == expected)
        let encoded = try LMSJSON.encode(expected)
        #expect(try LMSJSON.decode(AttributeValue.self, from: encoded) == expected)
    }

    @Test(
        "AttributeValue rejects null, arrays and objects with the attribute named",
        arguments: [
            "null", "[1]", #"{"a":1}"#, "[]",
        ])
    func attributeRejects(json: String) {
        let error = #expect(throws: PayloadDecodingError.self) {
            try LMSJSON.decode([String: AttributeValue].self, from: Array(#"{"costCenter":\#(json)}"#.utf8))
        }
        #expect(error?.field == "costCenter")
    }

    @Test("AttributeValue encodes as the bare scalar")
    func attributeEncoding() throws {
        let attributes: [String: AttributeValue] = ["a": "x", "b": 2, "c": 2.5, "d": true]
        #expect(String(decoding: try LMSJSON.encode(attributes), as: UTF8.self) == #"{"a":"x","b":2,"c":2.5,"d":true}"#)
        #expect(AttributeValue("x").stringValue == "x")
        #expect(AttributeValue(JSONValue.null) == nil)
        #expect(AttributeValue(JSONValue.number(1))?.doubleValue == 1)
        #expect(AttributeValue.bool(true).boolValue == true)
    }

    @Test("RFC 3339 output: UTC, milliseconds")
    func instantFormat() {
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_796_891_813.123)) == "2026-12-10T08:36:53.123Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_796_891_813.9996)) == "2026-12-10T08:36:54.000Z")
        #expect(RFC3339.format(.distantFuture).hasPrefix("4001-01-01T00:00:00"))
    }

    @Test(
        "RFC 3339 input",
        arguments: [
            ("2026-12-10T08:36:53.123Z", 1_796_891_813.123),
            ("2026-12-10T08:36:53Z", 1_796_891_813),
            ("2026-12-10t08:36:53z", 1_796_891_813),
            ("2026-12-10T10:36:53.123+02:00", 1_796_891_813.123),
            ("2026-12-10T03:06:53.5-05:30", 1_796_891_813.5),
            ("2026-12-10T08:36:53.123456789Z", 1_796_891_813.123_456_789),
            ("1969-12-31T23:59:59.999Z", -0.001),
        ])
    func instantParsing(text: String, seconds: Double) throws {
        let date = try #require(RFC3339.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 1e-6)
    }

    @Test(
        "RFC 3339 rejects",
        arguments: [
            "2026-12-10", "2026-12-10T08:36:53", "2026-12-10 08:36:53Z", "2026-12-10T08:36Z", "2026-12-10T24:00:00Z",
            "2026-02-30T00:00:00Z", "2026-12-10T08:36:53.Z", "2026-12-10T08:36:53+0200", "2026-12-10T08:36:53+24:00",
            "2026-12-10T08:36:53ZZ", "", "1796891813",
        ])
    func instantRejects(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("LMSJSON dates: millisecond instants round-trip exactly, decoder accepts offsets")
    func lmsDates() throws {
        let date = Date(timeIntervalSince1970: 1_796_891_813.123)
        let encoded = try LMSJSON.encode(["at": date])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"at":"2026-12-10T08:36:53.123Z"}"#)
        #expect(try LMSJSON.decode([String: Date].self, from: encoded) == ["at": date])
        let offset = try LMSJSON.decode([String: Date].self, from: Array(#"{"at":"2026-12-10T09:36:53.123+01:00"}"#.utf8))
        #expect(offset == ["at": date])
        #expect(LMSJSON.encoder().outputFormatting.contains(.sortedKeys))
        _ = LMSJSON.decoder()
    }
}
