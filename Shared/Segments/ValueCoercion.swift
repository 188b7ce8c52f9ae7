import Contracts

/// The typed readings of raw values that conditions compare: a string may also read as a number
/// (JSON number syntax), a boolean (`true` / `false`) or a calendar day (`YYYY-MM-DD`, or an
/// RFC 3339 date-time taken as its UTC day). Numbers and booleans have a canonical text form.
public enum ValueCoercion {
    /// The UTC calendar day (days since 1970-01-01) of `YYYY-MM-DD` or an RFC 3339 date-time.
    public static func day(_ text: String) -> Int64? {
        if let date = CalendarDate(text) { return date.daysSinceEpoch }
        if let instant = RFC3339.parse(text) { return CalendarDate(instant).daysSinceEpoch }
        return nil
    }

    /// The number written in JSON number syntax (`-12`, `3.5`, `1e3`; no spaces, no leading `+` or zeros).
    public static func number(_ text: String) -> Double? {
        guard isJSONNumber(text.utf8), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// `true` and `false` (exactly, lowercase).
    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// The canonical text of a number: integers without a fraction (`5`), others in Swift's
    /// shortest round-trip form (`2.5`, `1e+300`).
    public static func text(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 9.0e15, let integer = Int64(exactly: number) {
            return String(integer)
        }
        return "\(number)"
    }

    /// `value` without NUL characters (PostgreSQL text cannot hold them): each becomes U+FFFD.
    public static func sanitized(_ value: String) -> String {
        guard value.utf8.contains(0) else { return value }
        return String(value.unicodeScalars.map { $0.value == 0 ? "\u{FFFD}" : Character($0) })
    }

    /// Lowercases for `ignoreCase` comparisons (full Unicode case mapping).
    public static func folded(_ value: String) -> String {
        value.lowercased()
    }

    private static func isJSONNumber(_ bytes: String.UTF8View) -> Bool {
        var iterator = bytes.makeIterator()
        var current = iterator.next()
        func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if current == UInt8(ascii: "-") { current = iterator.next() }
        guard isDigit(current) else { return false }
        if current == UInt8(ascii: "0") {
            current = iterator.next()
        } else {
            while isDigit(current) { current = iterator.next() }
        }
        if current == UInt8(ascii: ".") {
            current = iterator.next()
            guard isDigit(current) else { return false }
            while isDigit(current) { current = iterator.next() }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            current = iterator.next()
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { current = iterator.next() }
            guard isDigit(current) else { return false }
            while isDigit(current) { current = iterator.next() }
        }
        return current == nil
    }
}
