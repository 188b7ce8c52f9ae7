import ServiceHTTP

/// A header row the import cannot work with: one error per offending column.
struct ImportHeaderError: Error, Hashable, Sendable {
    var errors: [FieldError]
}
