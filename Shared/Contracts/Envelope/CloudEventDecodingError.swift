/// A Kafka message that is not a valid CloudEvent of the contract. Attribute names are the Kafka header
/// names in binary mode (`ce_id`) and the JSON member names in structured mode (`id`).
public struct CloudEventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// A required attribute is absent or empty.
        case missingAttribute(String)
        /// An attribute is present but unusable: (attribute, why).
        case invalidAttribute(String, String)
        /// `specversion` is not `1.0`.
        case unsupportedSpecVersion
        /// No message value / no `data` member.
        case emptyPayload
        /// A structured-mode value that is not a CloudEvents JSON object.
        case malformedStructuredEvent(String)
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// The attribute the error is about, if any.
    public var attribute: String? {
        switch reason {
        case .missingAttribute(let name), .invalidAttribute(let name, _): name
        case .unsupportedSpecVersion: "specversion"
        case .emptyPayload, .malformedStructuredEvent: nil
        }
    }

    public var description: String {
        switch reason {
        case .missingAttribute(let name):
            "CloudEvent attribute \(name) is missing"
        case .invalidAttribute(let name, let detail):
            "CloudEvent attribute \(name) is invalid: \(detail)"
        case .unsupportedSpecVersion:
            "unsupported CloudEvents specversion (expected 1.0)"
        case .emptyPayload:
            "CloudEvent has no data"
        case .malformedStructuredEvent(let detail):
            "malformed structured-mode CloudEvent: \(detail)"
        }
    }
}
