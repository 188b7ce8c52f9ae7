/// A payload value that is well-typed but breaks a contract rule (id length, tenant slug, ranges, ...).
///
/// `field` uses the same dotted path as `PayloadDecodingError` (`changes.email`, `conditions[0].field`).
public struct PayloadValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.isEmpty ? message : "\(field): \(message)"
    }
}
