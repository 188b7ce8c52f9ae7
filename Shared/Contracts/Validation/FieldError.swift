/// One invalid field of a request: `field` is the dotted path (`profile.email`, `items[2].userId`)
/// or a parameter name (`limit`, `Idempotency-Key`).
public struct FieldError: Sendable, Codable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
