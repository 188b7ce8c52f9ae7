import ServiceHTTP

/// A profile that breaks the contract's rules, with one error per offending field.
struct ProfileValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    var errors: [FieldError]

    var description: String { errors.map(\.description).joined(separator: "; ") }
}
