import Contracts
import Foundation
import Segments
import ServiceHTTP

/// Field checks the request bodies share.
package enum InputChecks {
    package static let maximumNameLength = 200
    package static let maximumDescriptionLength = 2_000

    /// A trimmed, non-empty name of at most 200 characters.
    package static func name(_ value: String?, field: String, required: Bool, errors: inout ValidationErrors) -> String? {
        guard let value else {
            if required { errors.add(field: field, message: "is required") }
            return nil
        }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.add(field: field, message: "must not be empty")
        } else if trimmed.unicodeScalars.count > maximumNameLength {
            errors.add(field: field, message: "must be at most \(maximumNameLength) characters")
        }
        return trimmed
    }

    package static func description(_ value: String?, errors: inout ValidationErrors) -> String? {
        guard let value else { return nil }
        if value.unicodeScalars.count > maximumDescriptionLength {
            errors.add(field: "description", message: "must be at most \(maximumDescriptionLength) characters")
        }
        return value.isEmpty ? nil : value
    }

    /// Parsed criteria; each problem is reported with its path (`criteria.all[2].op`).
    package static func criteria(_ value: JSONValue?, field: String = "criteria", required: Bool = true, errors: inout ValidationErrors) -> Criteria?
    {
        guard let value, value != .null else {
            if required { errors.add(field: field, message: "is required") }
            return nil
        }
        do {
            return try Criteria.parse(value, at: field)
        } catch {
            for issue in error.issues { errors.add(field: issue.field, message: issue.message) }
            return nil
        }
    }

    /// A UUID path parameter; a malformed one is as unknown as a missing resource.
    package static func id(_ text: String, what: String) throws(Problem) -> UUID {
        guard let id = UUID(uuidString: text) else { throw Problem.notFound("\(what) \(text)") }
        return id
    }

    /// A (name, id) list position from a cursor.
    static func position(_ cursor: Cursor?) throws(Problem) -> (name: String, id: UUID)? {
        guard let cursor else { return nil }
        guard cursor.values.count == 2, let id = UUID(uuidString: cursor.values[1]) else {
            throw Problem.badRequest(
                "Invalid paging parameters.", errors: [FieldError(field: "cursor", message: "is not a cursor returned by this endpoint")])
        }
        return (cursor.values[0], id)
    }
}
