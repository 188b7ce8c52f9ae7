import Contracts

/// A profile that breaks the contract's rules, with one error per offending field.
package struct ProfileValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    package var errors: [FieldError]

    package var description: String { errors.map(\.description).joined(separator: "; ") }
}
