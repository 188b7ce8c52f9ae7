import Contracts

/// A header row the import cannot work with: one error per offending column.
package struct ImportHeaderError: Error, Hashable, Sendable {
    package var errors: [FieldError]

    package init(errors: [FieldError]) {
        self.errors = errors
    }
}
