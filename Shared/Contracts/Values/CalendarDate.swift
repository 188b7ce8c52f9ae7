import Foundation

/// A calendar day without time or zone (`YYYY-MM-DD`, years 0001-9999), e.g. a hire date.
///
/// Encodes as that string. `init?(_:)` accepts only real dates (`2024-02-30` is rejected).
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// `nil` unless the components form a real date in years 1-9999.
    public init?(year: Int, month: Int, day: Int) {
        guard CivilCalendar.isValid(year: year, month: month, day: day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ string: some StringProtocol) {
        var scanner = DigitScanner(Array(string.utf8))
        guard let year = scanner.number(digits: 4), scanner.consume("-"),
            let month = scanner.number(digits: 2), scanner.consume("-"),
            let day = scanner.number(digits: 2), scanner.isAtEnd
        else { return nil }
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }

    /// The UTC calendar day containing `date`.
    public init(_ date: Date) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds - 1) / 86_400) - 1
        self.init(daysSinceEpoch: days)
    }

    /// The day `days` after 1970-01-01 (clamped to years 1-9999).
    public init(daysSinceEpoch days: Int64) {
        let clamped = min(max(days, -719_162), 2_932_896)  // 0001-01-01 ... 9999-12-31
        let civil = CivilCalendar.date(fromDaysSinceEpoch: clamped)
        self.year = Int(civil.year)
        self.month = civil.month
        self.day = civil.day
    }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int64 {
        CivilCalendar.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Midnight UTC at the start of this day.
    public var startOfDayUTC: Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch * 86_400))
    }

    /// This date moved by `days` (negative goes back).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + Int64(days))
    }

    public var description: String {
        let digits = { (value: Int, width: Int) -> String in
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))"
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a calendar date YYYY-MM-DD, found \"\(text)\"")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
