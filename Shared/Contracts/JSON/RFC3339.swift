import Foundation

/// Formats and parses RFC 3339 instants without `DateFormatter` (allocation-light, `Sendable`, locale-free).
///
/// Output is always UTC with exactly three fractional digits (`2026-11-29T08:36:53.123Z`); the contract
/// carries instants at millisecond precision. Input accepts any number of fractional digits (or none),
/// `Z`/`z` or a numeric offset (`+02:00`), and `T`/`t` as separator.
public enum RFC3339 {
    /// `date` rounded to the nearest millisecond, the precision every instant has on the wire.
    public static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// The instant as `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC).
    public static func format(_ date: Date) -> String {
        let totalMillis = milliseconds(date)
        let (totalSeconds, millis) = floorDivide(totalMillis, 1000)
        let (days, secondOfDay) = floorDivide(totalSeconds, 86_400)
        let civil = CivilCalendar.date(fromDaysSinceEpoch: days)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        appendDigits(&bytes, civil.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, Int64(civil.month), width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(&bytes, Int64(civil.day), width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(&bytes, secondOfDay / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, (secondOfDay % 3600) / 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(&bytes, secondOfDay % 60, width: 2)
        bytes.append(UInt8(ascii: "."))
        appendDigits(&bytes, millis, width: 3)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an RFC 3339 `date-time`; `nil` when the text is not one (including impossible dates).
    public static func parse(_ text: some StringProtocol) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.consume("-"),
            let month = scanner.number(digits: 2), scanner.consume("-"),
            let day = scanner.number(digits: 2),
            scanner.consume("T") || scanner.consume("t"),
            let hour = scanner.number(digits: 2), scanner.consume(":"),
            let minute = scanner.number(digits: 2), scanner.consume(":"),
            let second = scanner.number(digits: 2)
        else { return nil }
        guard CivilCalendar.isValid(year: Int(year), month: Int(month), day: Int(day)),
            hour < 24, minute < 60, second <= 60
        else { return nil }

        var fractionValue: Int64 = 0
        var fractionScale: Int64 = 1
        var fractionDigits = 0
        if scanner.consume(".") {
            while let digit = scanner.digit() {
                // Digits beyond nanoseconds cannot change a `Date` meaningfully; they are read and dropped.
                if fractionDigits < 9 {
                    fractionValue = fractionValue * 10 + digit
                    fractionScale *= 10
                }
                fractionDigits += 1
            }
            guard fractionDigits > 0 else { return nil }
        }

        var offsetSeconds: Int64 = 0
        if scanner.consume("Z") || scanner.consume("z") {
            offsetSeconds = 0
        } else {
            let sign: Int64
            if scanner.consume("+") {
                sign = 1
            } else if scanner.consume("-") {
                sign = -1
            } else {
                return nil
            }
            guard let offsetHours = scanner.number(digits: 2), scanner.consume(":"),
                let offsetMinutes = scanner.number(digits: 2),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard scanner.isAtEnd else { return nil }

        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        if fractionScale <= 1000 {
            // Exact for millisecond input: the same double `Date(timeIntervalSince1970: x.yyy)` produces.
            let millis = seconds * 1000 + fractionValue * (1000 / fractionScale)
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(fractionValue) / Double(fractionScale))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        // Clamp to what four-digit years can express so formatting never traps.
        let limit = 253_402_300_799_999.0  // 9999-12-31T23:59:59.999Z
        return Int64(min(max(value, -62_135_596_800_000), limit))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value - 1) / divisor) - 1
        return (quotient, value - quotient * divisor)
    }

    private static func appendDigits(_ bytes: inout [UInt8], _ value: Int64, width: Int) {
        var divisor: Int64 = 1
        for _ in 1..<width {
            divisor *= 10
        }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `days_from_civil` / `civil_from_days`).
enum CivilCalendar {
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...9999).contains(year) && (1...12).contains(month) && day >= 1
            && day <= daysInMonth(year: year, month: month)
    }

    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func date(fromDaysSinceEpoch days: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, Int(month), Int(day))
    }
}

/// Reads fixed-width ASCII digit groups and punctuation from UTF-8 bytes.
struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func consume(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else {
            return nil
        }
        defer { index += 1 }
        return Int64(bytes[index] - UInt8(ascii: "0"))
    }

    mutating func number(digits count: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<count {
            guard let next = digit() else { return nil }
            value = value * 10 + next
        }
        return value
    }
}
