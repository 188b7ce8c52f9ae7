/// One Kafka record header. Kafka allows repeated keys and null values; both are preserved.
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public init(key: String, value: String) {
        self.key = key
        self.value = Array(value.utf8)
    }

    /// The value as UTF-8 text, if it is present and valid UTF-8.
    public var stringValue: String? {
        value.flatMap { String(validating: $0, as: UTF8.self) }
    }
}

extension Sequence where Element == KafkaHeader {
    /// The last value of the header named `key` (case-sensitive, as Kafka headers are).
    public func string(for key: String) -> String? {
        var found: String?
        for header in self where header.key == key { found = header.stringValue }
        return found
    }
}
