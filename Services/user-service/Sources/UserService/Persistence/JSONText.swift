import Contracts
import Foundation

/// Builds JSON text directly into a string, for the one `jsonb` parameter that carries all rows of
/// a multi-row statement (`jsonb_to_recordset`). Much cheaper per row than binding one array per
/// column or running `JSONEncoder` per value, and nulls need no special encoding.
package struct JSONText {
    package private(set) var text = ""
    /// Characters a JSON string cannot hold as they are.
    private static let needsEscaping = CharacterSet(charactersIn: "\"\\").union(.controlCharacters)

    package init(reservingCapacity capacity: Int = 0) {
        text.reserveCapacity(capacity)
    }

    package mutating func raw(_ literal: String) {
        text += literal
    }

    /// A JSON string (or `null`), escaped per RFC 8259.
    package mutating func string(_ value: String?) {
        guard let value else {
            text += "null"
            return
        }
        text += "\""
        if value.rangeOfCharacter(from: Self.needsEscaping) != nil {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        } else {
            text += value
        }
        text += "\""
    }

    package mutating func integer(_ value: Int64?) {
        text += value.map(String.init) ?? "null"
    }

    package mutating func bool(_ value: Bool) {
        text += value ? "true" : "false"
    }

    /// Any JSON value (or `null`); integral numbers are written without a fraction.
    package mutating func value(_ value: JSONValue?) {
        switch value {
        case nil, .null?:
            text += "null"
        case .bool(let flag)?:
            bool(flag)
        case .number(let number)?:
            if number.rounded() == number, abs(number) < 9.0e15 {
                text += String(Int64(number))
            } else {
                text += number.isFinite ? "\(number)" : "null"
            }
        case .string(let string)?:
            self.string(string)
        case .array(let elements)?:
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                self.value(element)
            }
            text += "]"
        case .object(let members)?:
            text += "{"
            var first = true
            for (name, member) in members {
                if !first { text += "," }
                first = false
                string(name)
                text += ":"
                self.value(member)
            }
            text += "}"
        }
    }

    /// `{"<field>": {"from": ..., "to": ...}, ...}`, or `null`.
    package mutating func changes(_ changes: [FieldChange]?) {
        guard let changes else {
            text += "null"
            return
        }
        text += "{"
        for (index, change) in changes.enumerated() {
            if index > 0 { text += "," }
            string(change.field)
            text += ":{\"from\":"
            value(change.from)
            text += ",\"to\":"
            value(change.to)
            text += "}"
        }
        text += "}"
    }

    /// `,"<name>":<value>` when `value` is not `nil` (members after the first of an object).
    package mutating func optionalMember(_ name: String, _ value: String?) {
        guard let value else { return }
        text += ",\""
        text += name
        text += "\":"
        string(value)
    }

    /// A JSON array of strings.
    package mutating func strings(_ values: [String]) {
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            string(value)
        }
        text += "]"
    }

    /// Microseconds since 1970 (the statements turn them back into `timestamptz` exactly).
    package mutating func microseconds(_ date: Date) {
        text += String(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }
}
