/// The contract's value rules, shared by `validate()` implementations and the schema validator's
/// formats. Each rule mirrors the corresponding keyword in the JSON Schemas.
enum FieldCheck {
    static let maximumIdentifierLength = 128
    static let maximumEmailLength = 254
    static let maximumTextLength = 256
    static let maximumReasonLength = 1024
    static let maximumAttributeKeyLength = 64
    static let maximumAttributeStringLength = 1024

    // MARK: Predicates

    /// `^[a-z0-9][a-z0-9-]{1,62}$`
    static func isTenantId(_ value: String) -> Bool {
        let bytes = value.utf8
        guard (2...63).contains(bytes.count) else { return false }
        var isFirst = true
        for byte in bytes {
            let isAlphanumeric =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard isAlphanumeric || (!isFirst && byte == UInt8(ascii: "-")) else { return false }
            isFirst = false
        }
        return true
    }

    /// 1-128 characters (Unicode scalars, as JSON Schema counts them).
    static func isIdentifier(_ value: String) -> Bool {
        let count = value.unicodeScalars.count
        return count >= 1 && count <= maximumIdentifierLength
    }

    /// `local@domain.tld` shape: one `@`, non-empty local part, a dot inside the domain, no whitespace
    /// or control characters, at most 254 characters.
    static func isEmail(_ value: String) -> Bool {
        guard value.unicodeScalars.count <= maximumEmailLength else { return false }
        var atIndex: String.UnicodeScalarView.Index?
        for index in value.unicodeScalars.indices {
            let scalar = value.unicodeScalars[index]
            if scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F { return false }
            if scalar == "@" {
                guard atIndex == nil else { return false }
                atIndex = index
            }
        }
        guard let at = atIndex, at != value.unicodeScalars.startIndex else { return false }
        let domain = value.unicodeScalars[value.unicodeScalars.index(after: at)...]
        guard let first = domain.first, let last = domain.last, first != ".", last != "." else { return false }
        return domain.contains(".")
    }

    /// Attribute names: 1-64 characters without control characters.
    static func isAttributeKey(_ key: String) -> Bool {
        let count = key.unicodeScalars.count
        guard count >= 1 && count <= maximumAttributeKeyLength else { return false }
        return !key.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    // MARK: Throwing checks

    static func fail(_ field: String, _ message: String) -> PayloadValidationError {
        PayloadValidationError(field: field, message: message)
    }

    static func tenantId(_ value: String, _ field: String = "tenantId") throws(PayloadValidationError) {
        guard isTenantId(value) else {
            throw fail(field, "must be a tenant slug matching ^[a-z0-9][a-z0-9-]{1,62}$")
        }
    }

    static func identifier(_ value: String?, _ field: String) throws(PayloadValidationError) {
        guard let value else { return }
        guard isIdentifier(value) else { throw fail(field, "must be 1-\(maximumIdentifierLength) characters") }
    }

    static func identifiers(_ values: [String], _ field: String) throws(PayloadValidationError) {
        var seen = Set<String>()
        for (position, value) in values.enumerated() {
            try identifier(value, "\(field)[\(position)]")
            guard seen.insert(value).inserted else { throw fail("\(field)[\(position)]", "is a duplicate") }
        }
    }

    static func email(_ value: String?, _ field: String = "email") throws(PayloadValidationError) {
        guard let value else { return }
        guard isEmail(value) else { throw fail(field, "must be an email address") }
    }

    static func text(
        _ value: String?, _ field: String, maxLength: Int = maximumTextLength, minLength: Int = 0
    ) throws(PayloadValidationError) {
        guard let value else { return }
        let count = value.unicodeScalars.count
        guard count >= minLength else {
            throw fail(field, minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters")
        }
        guard count <= maxLength else { throw fail(field, "must be at most \(maxLength) characters") }
    }

    static func range(_ value: Double?, _ field: String, _ bounds: ClosedRange<Double>) throws(PayloadValidationError) {
        guard let value else { return }
        guard value.isFinite, bounds.contains(value) else {
            throw fail(field, "must be between \(format(bounds.lowerBound)) and \(format(bounds.upperBound))")
        }
    }

    static func atLeast(_ value: Double?, _ field: String, _ minimum: Double) throws(PayloadValidationError) {
        guard let value else { return }
        guard value.isFinite, value >= minimum else { throw fail(field, "must be at least \(format(minimum))") }
    }

    static func atLeast<T: BinaryInteger>(_ value: T?, _ field: String, _ minimum: T) throws(PayloadValidationError) {
        guard let value else { return }
        guard value >= minimum else { throw fail(field, "must be at least \(minimum)") }
    }

    static func version(_ value: Int64?, _ field: String = "version") throws(PayloadValidationError) {
        try atLeast(value, field, 0)
    }

    static func attributes(_ values: [String: AttributeValue]?, _ field: String = "attributes") throws(PayloadValidationError) {
        guard let values else { return }
        for key in values.keys.sorted() {
            guard isAttributeKey(key) else {
                throw fail("\(field).\(key)", "attribute names must be 1-\(maximumAttributeKeyLength) characters without control characters")
            }
            switch values[key] {
            case .string(let text)?:
                try self.text(text, "\(field).\(key)", maxLength: maximumAttributeStringLength)
            case .number(let number)?:
                guard number.isFinite else { throw fail("\(field).\(key)", "must be a finite number") }
            case .bool?, nil:
                break
            }
        }
    }

    static func counts(_ values: [String: Int], _ field: String, allowedKeys: Set<String>) throws(PayloadValidationError) {
        for key in values.keys.sorted() {
            guard allowedKeys.contains(key) else {
                throw fail("\(field).\(key)", "must be one of \(allowedKeys.sorted().joined(separator: ", "))")
            }
            try atLeast(values[key], "\(field).\(key)", 0)
        }
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int64(value)) : String(value)
    }
}
