/// One way a JSON document breaks its schema. `path` is a JSON Pointer (`/changes/email`, `/conditions/0/op`;
/// empty for the document itself).
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        "\(path.isEmpty ? "/" : path): \(message)"
    }
}
