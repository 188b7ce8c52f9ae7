import Contracts
import Foundation

/// The meaning of each column of an import file, read from its header row.
///
/// Header names match profile fields ignoring case, spaces, `_` and `-` (`userId`, `user_id`,
/// `Given Name`; `firstName` and `lastName` are accepted for `givenName` and `familyName`).
/// `attributes.<name>` and every other column is a string attribute named as the header says.
/// Snapshot-only fields (`status`, `version`, `tenantId`, ...) cannot be imported.
///
/// Each data row becomes a merge patch: a cell sets its field, an empty cell clears it (for
/// attributes: removes it), and fields without a column stay as they are. Cells are trimmed.
package struct ImportColumns: Sendable {
    package enum Column: Hashable, Sendable {
        case userId
        case field(String)
        case attribute(String)
    }

    package let columns: [Column]

    private static let known: [String: Column] = {
        var known: [String: Column] = ["userid": .userId, "firstname": .field("givenName"), "lastname": .field("familyName")]
        for field in UserProfile.scalarFields { known[normalized(field)] = .field(field) }
        return known
    }()

    private static let reserved: Set<String> = [
        "tenantid", "status", "version", "sourceversion", "createdat", "updatedat", "changedfields", "attributes",
    ]

    package init(header: [String]) throws(ImportHeaderError) {
        var columns: [Column] = []
        var errors: [FieldError] = []
        var seen: [Column: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let position = "header[\(index + 1)]"
            let column: Column
            if name.isEmpty {
                errors.append(FieldError(field: position, message: "the column has no name"))
                continue
            } else if name.lowercased().hasPrefix("attributes.") {
                column = .attribute(String(name.dropFirst("attributes.".count)))
            } else if let known = Self.known[Self.normalized(name)] {
                column = known
            } else if Self.reserved.contains(Self.normalized(name)) {
                errors.append(FieldError(field: position, message: "\(name) cannot be imported"))
                continue
            } else {
                column = .attribute(name)
            }
            if case .attribute(let attribute) = column, !Self.isAttributeName(attribute) {
                errors.append(FieldError(field: position, message: "attribute names must be 1-64 characters without control characters"))
                continue
            }
            if let first = seen[column] {
                errors.append(FieldError(field: position, message: "\(name) repeats column \(first)"))
                continue
            }
            seen[column] = index + 1
            columns.append(column)
        }
        if seen[.userId] == nil {
            errors.append(FieldError(field: "header", message: "a userId column is required"))
        }
        guard errors.isEmpty else { throw ImportHeaderError(errors: errors) }
        self.columns = columns
    }

    /// The data row `number` (1-based) with these cells.
    package func row(number: Int, cells: [String]) -> ImportRow {
        guard cells.count == columns.count else {
            let userId = columns.firstIndex(of: .userId).flatMap { $0 < cells.count ? Self.trimmed(cells[$0]) : nil }
            let message = "has \(cells.count) cells; the header has \(columns.count) columns"
            return ImportRow(number: number, userId: userId, patch: [:], errors: [FieldError(field: "row", message: message)])
        }
        var userId: String?
        var patch: [String: JSONValue] = [:]
        var attributes: [String: JSONValue] = [:]
        var errors: [FieldError] = []
        for (column, cell) in zip(columns, cells) {
            let value = Self.trimmed(cell)
            switch column {
            case .userId:
                if value.isEmpty {
                    errors.append(FieldError(field: "userId", message: "is required"))
                } else if value.unicodeScalars.count > 128 {
                    errors.append(FieldError(field: "userId", message: "must be 1-128 characters"))
                }
                userId = value.isEmpty ? nil : value
            case .field(let field):
                if value.isEmpty && UserProfile.requiredFields.contains(field) {
                    errors.append(FieldError(field: field, message: "must not be empty"))
                } else {
                    patch[field] = value.isEmpty ? .null : .string(value)
                }
            case .attribute(let name):
                attributes[name] = value.isEmpty ? .null : .string(value)
            }
        }
        if !attributes.isEmpty { patch["attributes"] = .object(attributes) }
        if !errors.isEmpty {
            // The row is rejected anyway: report every problem it has at once.
            errors += UserProfile.fieldErrors(inPatch: patch)
        }
        return ImportRow(number: number, userId: userId, patch: patch, errors: errors)
    }

    /// The cell without leading and trailing spaces and tabs (cheap when there are none).
    private static func trimmed(_ cell: String) -> String {
        guard let first = cell.utf8.first, let last = cell.utf8.last else { return cell }
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        return blank(first) || blank(last) ? cell.trimmingCharacters(in: .whitespaces) : cell
    }

    private static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" })
    }

    private static func isAttributeName(_ name: String) -> Bool {
        let count = name.unicodeScalars.count
        return (1...64).contains(count) && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
