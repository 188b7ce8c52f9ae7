import Foundation

extension CloudEvent {
    /// Reads a CloudEvent from a Kafka message.
    ///
    /// Binary mode (the contract's default): attributes in `ce_*` headers, `value` is the payload.
    /// Structured mode (`content-type: application/cloudevents+json`): the whole event is JSON in `value`,
    /// with the payload as `data` (or `data_base64`) and the tenant as extension attribute `tenantid`.
    /// Header names match case-insensitively; the first occurrence wins. `subject` and `time` are
    /// optional, as CloudEvents makes them (official SDKs omit them): an event without `subject` gets
    /// an empty one (payloads name their aggregate), one without `time` the time it was read.
    public static func decode(
        headers: [(key: String, value: [UInt8])],
        value: [UInt8]?
    ) throws(CloudEventDecodingError) -> CloudEvent {
        let contentType = try headerValue(HeaderName.contentType, in: headers)
        if let contentType, contentType.lowercased().hasPrefix("application/cloudevents") {
            return try decodeStructured(value, contentType: contentType, headers: headers)
        }

        var event = try attributes(prefix: "ce_") { name throws(CloudEventDecodingError) in try headerValue(name, in: headers) }
        guard let value, !value.isEmpty else { throw CloudEventDecodingError(.emptyPayload) }
        event.dataContentType = contentType ?? jsonContentType
        event.traceparent = validTraceparent(try? headerValue(HeaderName.traceparent, in: headers))
        event.data = value
        return event
    }

    /// The attributes both modes carry, named as binary-mode headers (`ce_id`) or, with an empty
    /// `prefix`, as structured-mode members (`id`); the event's data is left empty.
    private static func attributes(
        prefix: String,
        _ attribute: (String) throws(CloudEventDecodingError) -> String?
    ) throws(CloudEventDecodingError) -> CloudEvent {
        guard let specVersion = try attribute(prefix + "specversion"), !specVersion.isEmpty else {
            throw CloudEventDecodingError(.missingAttribute(prefix + "specversion"))
        }
        guard specVersion == Self.specVersion else { throw CloudEventDecodingError(.unsupportedSpecVersion) }
        let id = try required(prefix + "id", try attribute(prefix + "id"))
        let source = try required(prefix + "source", try attribute(prefix + "source"))
        let type = try required(prefix + "type", try attribute(prefix + "type"))
        let time = try parseTime(prefix + "time", try attribute(prefix + "time"))
        let subject = try attribute(prefix + "subject") ?? ""
        let tenantId = try parseTenant(prefix + "tenantid", try attribute(prefix + "tenantid"))
        try checkLength(prefix + "id", id)
        return CloudEvent(id: id, source: source, type: EventType(type), time: time, subject: subject, tenantId: tenantId, data: [])
    }

    // MARK: Structured mode

    private static func decodeStructured(
        _ value: [UInt8]?,
        contentType: String,
        headers: [(key: String, value: [UInt8])]
    ) throws(CloudEventDecodingError) -> CloudEvent {
        guard !contentType.lowercased().hasPrefix("application/cloudevents-batch") else {
            throw CloudEventDecodingError(.malformedStructuredEvent("batch mode is not supported"))
        }
        guard let value, !value.isEmpty else { throw CloudEventDecodingError(.emptyPayload) }
        let parsed: (members: [String: JSONValue], ranges: [String: Range<Int>])
        do {
            parsed = try JSONParser.parseObjectWithRanges(value)
        } catch {
            throw CloudEventDecodingError(.malformedStructuredEvent(error.description))
        }
        let members = parsed.members

        func string(_ name: String) throws(CloudEventDecodingError) -> String? {
            switch members[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case let other?: throw CloudEventDecodingError(.invalidAttribute(name, "expected a string, found \(other.typeName)"))
            }
        }

        var event = try attributes(prefix: "", string)
        event.dataContentType = try string("datacontenttype") ?? jsonContentType

        let data: [UInt8]
        if let range = parsed.ranges["data"], members["data"] != .null {
            data = Array(value[range])
        } else if let encoded = try string("data_base64") {
            guard let decoded = Data(base64Encoded: encoded) else {
                throw CloudEventDecodingError(.invalidAttribute("data_base64", "not valid base64"))
            }
            data = [UInt8](decoded)
        } else {
            throw CloudEventDecodingError(.emptyPayload)
        }
        guard !data.isEmpty else { throw CloudEventDecodingError(.emptyPayload) }

        let traceparent = (try? string("traceparent")) ?? (try? headerValue(HeaderName.traceparent, in: headers))
        event.traceparent = validTraceparent(traceparent)
        event.data = data
        return event
    }

    // MARK: Attribute helpers

    private static func headerValue(
        _ name: String,
        in headers: [(key: String, value: [UInt8])]
    ) throws(CloudEventDecodingError) -> String? {
        for header in headers where asciiCaseInsensitiveEquals(header.key, name) {
            guard let text = String(validating: header.value, as: UTF8.self) else {
                throw CloudEventDecodingError(.invalidAttribute(name, "not valid UTF-8"))
            }
            return text
        }
        return nil
    }

    private static func asciiCaseInsensitiveEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let lowerA = (0x41...0x5A).contains(a) ? a | 0x20 : a
            let lowerB = (0x41...0x5A).contains(b) ? b | 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }

    private static func required(_ name: String, _ value: String?) throws(CloudEventDecodingError) -> String {
        guard let value, !value.isEmpty else { throw CloudEventDecodingError(.missingAttribute(name)) }
        return value
    }

    private static func checkLength(_ name: String, _ value: String) throws(CloudEventDecodingError) {
        guard value.utf8.count <= 256 else {
            throw CloudEventDecodingError(.invalidAttribute(name, "longer than 256 bytes"))
        }
    }

    private static func parseTime(_ name: String, _ value: String?) throws(CloudEventDecodingError) -> Date {
        guard let text = value else { return Date() }
        guard let date = RFC3339.parse(text) else {
            throw CloudEventDecodingError(.invalidAttribute(name, "\"\(text)\" is not an RFC 3339 timestamp"))
        }
        return date
    }

    private static func parseTenant(_ name: String, _ value: String?) throws(CloudEventDecodingError) -> String {
        let text = try required(name, value)
        guard FieldCheck.isTenantId(text) else {
            throw CloudEventDecodingError(.invalidAttribute(name, "\"\(text)\" is not a tenant slug"))
        }
        return text
    }

    /// W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`); an invalid value is dropped, as the spec asks.
    private static func validTraceparent(_ value: String?) -> String? {
        guard let text = value else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts[0] != "ff",
            parts.allSatisfy({ $0.utf8.allSatisfy(isLowercaseHex) }),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        return text
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
