import Contracts
import Foundation

/// How report values are written in CSV: instants in RFC 3339, numbers in plain decimal.
enum CSVValue {
    static func instant(_ date: Date?) -> String {
        date.map(RFC3339.format) ?? ""
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
