import Foundation

/// A CloudEvents 1.0 event as carried on Kafka: attributes plus the raw JSON payload.
///
/// Produce with `make(_:source:...)` and `binaryModeHeaders` / `kafkaKey`; consume with
/// `decode(headers:value:)` (binary or structured mode) and `decodePayload(_:)`.
public struct CloudEvent: Sendable, Equatable {
    /// Unique per event and reused on retries (consumers deduplicate on it).
    public var id: String
    /// The producing service, e.g. `/lms/enrollment-service`.
    public var source: String
    public var type: EventType
    /// Carried at millisecond precision (the initializer rounds).
    public var time: Date
    /// The aggregate id (`EventPayload.aggregateId`).
    public var subject: String
    public var tenantId: String
    public var dataContentType: String
    /// W3C trace context, when known.
    public var traceparent: String?
    /// The JSON payload bytes.
    public var data: [UInt8]

    public static let specVersion = "1.0"
    public static let jsonContentType = "application/json"

    public init(
        id: String = UUID().lowercasedString, source: String, type: EventType, time: Date = Date(),
        subject: String, tenantId: String, dataContentType: String = CloudEvent.jsonContentType,
        traceparent: String? = nil, data: [UInt8]
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = RFC3339.roundedToMilliseconds(time)
        self.subject = subject
        self.tenantId = tenantId
        self.dataContentType = dataContentType
        self.traceparent = traceparent
        self.data = data
    }

    /// The Kafka message key: `<tenantId>/<subject>`.
    public var kafkaKey: String { "\(tenantId)/\(subject)" }

    /// Kafka headers of the binary content mode.
    public var binaryModeHeaders: [(key: String, value: String)] {
        var headers: [(key: String, value: String)] = [
            (HeaderName.specVersion, Self.specVersion),
            (HeaderName.id, id),
            (HeaderName.source, source),
            (HeaderName.type, type.rawValue),
            (HeaderName.time, RFC3339.format(time)),
            (HeaderName.subject, subject),
            (HeaderName.tenantId, tenantId),
            (HeaderName.contentType, dataContentType),
        ]
        if let traceparent {
            headers.append((HeaderName.traceparent, traceparent))
        }
        return headers
    }

    /// `binaryModeHeaders` as UTF-8 bytes, the form Kafka clients take.
    public var binaryModeHeaderBytes: [(key: String, value: [UInt8])] {
        binaryModeHeaders.map { (key: $0.key, value: Array($0.value.utf8)) }
    }

    /// Kafka header names of the binary mode.
    public enum HeaderName {
        public static let specVersion = "ce_specversion"
        public static let id = "ce_id"
        public static let source = "ce_source"
        public static let type = "ce_type"
        public static let time = "ce_time"
        public static let subject = "ce_subject"
        public static let tenantId = "ce_tenantid"
        public static let contentType = "content-type"
        public static let traceparent = "traceparent"
    }

    // MARK: Payloads

    /// An event carrying `payload`: type, subject and tenant come from the payload, which is validated
    /// and encoded with `LMSJSON`. `type` is required when the payload type serves several event types
    /// (lifecycle, enrollment and progress payloads).
    public static func make<P: EventPayload>(
        _ payload: P, type: EventType? = nil, source: String, id: String = UUID().lowercasedString,
        time: Date = Date(), traceparent: String? = nil
    ) throws -> CloudEvent {
        let eventType: EventType
        if let type {
            guard P.eventTypes.contains(type) else {
                throw PayloadValidationError(field: "type", message: "\(P.self) is not carried by \(type)")
            }
            eventType = type
        } else if P.eventTypes.count == 1 {
            eventType = P.eventTypes[0]
        } else {
            throw PayloadValidationError(
                field: "type",
                message: "\(P.self) is carried by \(P.eventTypes.map(\.rawValue).joined(separator: ", ")); pass type:")
        }
        try payload.validate()
        return CloudEvent(
            id: id, source: source, type: eventType, time: time, subject: payload.aggregateId,
            tenantId: payload.tenantId, traceparent: traceparent, data: try LMSJSON.encode(payload))
    }

    /// Decodes and validates the payload, and checks it belongs to this event's type and tenant.
    ///
    /// A type that does not carry `P` fails with an empty `field`; a payload tenant different from
    /// `ce_tenantid` fails with field `tenantId` (the contract sends such messages to the DLQ).
    public func decodePayload<P: EventPayload>(_: P.Type) throws(PayloadDecodingError) -> P {
        guard P.eventTypes.contains(type) else {
            throw PayloadDecodingError(field: "", message: "event type \(type) does not carry \(P.self)")
        }
        let payload = try LMSJSON.decode(P.self, from: data)
        do {
            try payload.validate()
        } catch {
            throw PayloadDecodingError(field: error.field, message: error.message)
        }
        guard payload.tenantId == tenantId else {
            throw PayloadDecodingError(
                field: "tenantId", message: "payload tenant \(payload.tenantId) does not match ce_tenantid \(tenantId)")
        }
        return payload
    }

    /// JSON Schema violations of `data` against the bundled schema of `type`.
    public func schemaViolations() throws(SchemaLoadingError) -> [SchemaViolation] {
        try JSONSchemaValidator.bundled(for: type).validate(data)
    }
}
