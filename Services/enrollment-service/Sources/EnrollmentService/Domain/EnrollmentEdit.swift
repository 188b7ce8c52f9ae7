import Contracts
import Foundation

/// What `PATCH /v1/enrollments/{id}` changes: the due date (set or cleared) and whether the
/// enrollment is mandatory. A field left `nil` stays as it is.
package struct EnrollmentEdit: Sendable, Equatable {
    /// The new due date: `.some(nil)` clears it.
    package var dueAt: Date??
    package var mandatory: Bool?

    /// The history note of applying this edit to `record`; `nil` when nothing would change.
    package func note(for record: EnrollmentRecord) -> String? {
        var parts: [String] = []
        if let dueAt, dueAt != record.dueAt {
            parts.append("due date changed to \(dueAt.map(RFC3339.format) ?? "none")")
        }
        if let mandatory, mandatory != record.mandatory {
            parts.append(mandatory ? "made mandatory" : "no longer mandatory")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
