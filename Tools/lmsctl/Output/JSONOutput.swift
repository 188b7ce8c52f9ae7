import Contracts
import Foundation

/// JSON for `--json` and for turning response bodies into table cells.
enum JSONOutput {
    /// Pretty-printed JSON with sorted keys; the text unchanged when it is not JSON. DEL and the
    /// C1 controls, which JSON allows raw in strings, are written as `\u` escapes so the output
    /// stays the same data and cannot drive a terminal.
    static func pretty(_ bytes: [UInt8]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]
            )
        else { return String(decoding: bytes, as: UTF8.self) }
        return escapingControls(String(decoding: data, as: UTF8.self))
    }

    /// Serialized JSON with DEL and C1 characters (only possible inside strings) as `\u00XX`.
    static func escapingControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return json }
        var escaped = ""
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                escaped += "\\u00" + String(scalar.value, radix: 16)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func pretty(_ value: JSONValue) -> String {
        pretty((try? LMSJSON.encode(value)) ?? [])
    }

    /// A JSON value as one table cell: strings bare, integral numbers without `.0`, fractions
    /// with up to four decimals, null empty, arrays of scalars comma-separated, objects compact.
    static func cell(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return numberText(number)
        case .array(let items):
            if items.allSatisfy({ $0.objectValue == nil && $0.arrayValue == nil }) { return items.map { cell($0) }.joined(separator: ",") }
            return value.description
        case .object: return value.description
        }
    }

    static func numberText(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        var text = String(format: "%.4f", number)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Flattens nested objects into dotted keys (`byStatus.active`), for key/value tables.
    static func flatten(_ object: [String: JSONValue], prefix: String = "") -> [(key: String, value: JSONValue)] {
        var result: [(key: String, value: JSONValue)] = []
        for key in object.keys.sorted() {
            let value = object[key] ?? .null
            if case .object(let nested) = value, !nested.isEmpty {
                result += flatten(nested, prefix: prefix + key + ".")
            } else {
                result.append((prefix + key, value))
            }
        }
        return result
    }

    /// A table of objects: the preferred columns first (those present), then every other key
    /// seen, sorted. Nested objects are flattened to dotted columns.
    static func table(_ items: [JSONValue], preferred: [String] = []) -> TextTable {
        let flattened = items.map { item in flatten(item.objectValue ?? [:]) }
        var seen = Set<String>()
        var others: [String] = []
        for row in flattened {
            for entry in row where !seen.contains(entry.key) {
                seen.insert(entry.key)
                others.append(entry.key)
            }
        }
        let columns = preferred.filter(seen.contains) + others.filter { !preferred.contains($0) }.sorted()
        var table = TextTable(columns: columns)
        for row in flattened {
            let values = Dictionary(row.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            table.append(columns.map { cell(values[$0]) })
        }
        return table
    }

    /// A two-column `field`/`value` table of one object.
    static func keyValueTable(_ object: JSONValue, preferred: [String] = []) -> TextTable {
        let entries = flatten(object.objectValue ?? [:])
        let ordered = preferred.compactMap { key in entries.first { $0.key == key } } + entries.filter { !preferred.contains($0.key) }
        return TextTable(columns: ["field", "value"], rows: ordered.map { [$0.key, cell($0.value)] })
    }
}
