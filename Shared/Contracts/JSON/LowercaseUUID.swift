import Foundation

/// A UUID that goes on the wire in canonical lowercase form (Foundation's default is uppercase), so the
/// payloads can keep their synthesized `Codable`.
@propertyWrapper
public struct LowercaseUUID: Codable, Sendable, Hashable {
    public var wrappedValue: UUID

    public init(wrappedValue: UUID) {
        self.wrappedValue = wrappedValue
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Foundation's own decode only for text that is no UUID, for its error.
        wrappedValue = try UUID(text: container.decode(String.self)) ?? container.decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.lowercasedString)
    }
}
