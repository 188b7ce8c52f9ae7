import Foundation

/// A compiled `pattern` / `patternProperties` regular expression with ECMA-262 semantics for the parts the
/// schemas use. The tenant slug and attribute name patterns, checked on most payloads, run natively
/// (`FieldCheck`) without a regex engine.
struct SchemaPattern: @unchecked Sendable {
    // @unchecked: NSRegularExpression is immutable after creation and documented as thread-safe.
    private enum Matcher {
        case tenantSlug
        case attributeKey
        case regex(NSRegularExpression)
    }

    let source: String
    private let matcher: Matcher

    init(_ source: String) throws(SchemaLoadingError) {
        self.source = source
        if source == "^[a-z0-9][a-z0-9-]{1,62}$" {
            matcher = .tenantSlug
            return
        }
        if source == "^[^\\u0000-\\u001f\\u007f]{1,64}$" {
            matcher = .attributeKey
            return
        }
        do {
            matcher = .regex(try NSRegularExpression(pattern: Self.icuPattern(fromECMA: source)))
        } catch {
            throw SchemaLoadingError("invalid pattern \(source): \(error)")
        }
    }

    /// Unanchored search, as JSON Schema specifies.
    func matches(_ text: String) -> Bool {
        switch matcher {
        case .tenantSlug:
            return FieldCheck.isTenantId(text)
        case .attributeKey:
            return FieldCheck.isAttributeKey(text)
        case .regex(let regex):
            let range = NSRange(location: 0, length: text.utf16.count)
            return regex.firstMatch(in: text, options: [], range: range) != nil
        }
    }

    /// ICU differs from ECMA-262 where it matters for schemas: `$` also matches before a final newline
    /// (ECMA: only at the end), and `\d` / `\w` match non-ASCII digits and letters (ECMA: ASCII only).
    static func icuPattern(fromECMA pattern: String) -> String {
        var result = ""
        var inClass = false
        var iterator = pattern.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\\":
                guard let escaped = iterator.next() else {
                    result.append("\\")
                    continue
                }
                switch escaped {
                case "d": result += inClass ? "0-9" : "[0-9]"
                case "w": result += inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]"
                case "D" where !inClass: result += "[^0-9]"
                case "W" where !inClass: result += "[^A-Za-z0-9_]"
                default: result += "\\\(escaped)"
                }
            case "[" where !inClass:
                inClass = true
                result.append(character)
            case "]" where inClass:
                inClass = false
                result.append(character)
            case "$" where !inClass:
                result += "\\z"
            default:
                result.append(character)
            }
        }
        return result
    }
}
