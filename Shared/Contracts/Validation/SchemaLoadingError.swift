/// A schema that cannot be loaded: missing file, not JSON, or using a keyword the validator does not support.
public struct SchemaLoadingError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
