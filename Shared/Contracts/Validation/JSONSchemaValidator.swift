import Foundation

/// Validates JSON against a JSON Schema (draft 2020-12), supporting the keywords the contract's schemas use:
/// `type` (incl. arrays and `integer`), `properties`, `required`, `additionalProperties`, `patternProperties`,
/// `min/maxProperties`, `enum`, `const`, `pattern`, `min/maxLength`, `minimum`/`maximum` (and exclusive),
/// `items`, `min/maxItems`, `uniqueItems`, `format` (`date`, `date-time`, `uuid`, `email`; asserted),
/// `$ref` to `#/$defs/...`, `allOf`/`anyOf`/`oneOf`/`not`. Unsupported keywords fail at load time, so a
/// schema never silently checks less than it says.
///
/// A validator is immutable and `Sendable`; `bundled(for:)` returns cached instances for the contract's schemas.
public struct JSONSchemaValidator: Sendable {
    private let root: SchemaNode
    private let definitions: [String: SchemaNode]

    /// Compiles a schema document.
    public init(schema: JSONValue) throws(SchemaLoadingError) {
        var refs: [String] = []
        var definitions: [String: SchemaNode] = [:]
        if case .object(let keywords) = schema, let defs = keywords["$defs"] {
            guard case .object(let members) = defs else { throw SchemaLoadingError("/$defs: must be an object") }
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                definitions[name] = try SchemaNode(member, at: "/$defs/\(name)", refs: &refs)
            }
        }
        root = try SchemaNode(schema, at: "", refs: &refs)
        for name in refs where definitions[name] == nil {
            throw SchemaLoadingError("$ref to #/$defs/\(name), which does not exist")
        }
        self.definitions = definitions
    }

    /// Compiles a schema from its JSON text.
    public init(schema bytes: [UInt8]) throws(SchemaLoadingError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw SchemaLoadingError("schema is not JSON: \(error.description)")
        }
        try self.init(schema: json)
    }

    // MARK: Validation

    /// Violations of `json` (UTF-8 JSON text); a document that is not JSON yields one violation at `""`.
    public func validate(_ json: [UInt8]) -> [SchemaViolation] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(json)
        } catch {
            return [SchemaViolation(path: "", message: error.description)]
        }
        return validate(value)
    }

    /// Violations of `value`, sorted by path; empty when it is valid.
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        var run = Run(definitions: definitions, root: root)
        run.check(value, root)
        guard run.violations.count > 1 else { return run.violations }
        return run.violations.sorted { ($0.path, $0.message) < ($1.path, $1.message) }
    }

    // MARK: Bundled schemas

    /// The distinct schema names of the contract's event types.
    public static let bundledSchemaNames: [String] = {
        var seen = Set<String>()
        return EventType.all.map(\.schemaName).filter { seen.insert($0).inserted }
    }()

    /// Loaded once, on first use, for every bundled schema.
    private static let bundledValidators: [String: Result<JSONSchemaValidator, SchemaLoadingError>] = {
        var result: [String: Result<JSONSchemaValidator, SchemaLoadingError>] = [:]
        for name in bundledSchemaNames {
            result[name] = Result { () throws(SchemaLoadingError) in try load(named: name) }
        }
        return result
    }()

    /// The cached validator of the schema of `type`'s payload.
    public static func bundled(for type: EventType) throws(SchemaLoadingError) -> JSONSchemaValidator {
        guard type.isKnown else { throw SchemaLoadingError("no schema for unknown event type \(type)") }
        return try bundled(named: type.schemaName)
    }

    /// The cached validator of `Schemas/<name>.schema.json`.
    public static func bundled(named name: String) throws(SchemaLoadingError) -> JSONSchemaValidator {
        guard let loaded = bundledValidators[name] else { throw SchemaLoadingError("no bundled schema named \(name)") }
        return try loaded.get()
    }

    /// File URL of `Schemas/<name>.schema.json` in the module's resources (to serve or publish the schema).
    public static func bundledSchemaURL(named name: String) -> URL? {
        guard let directory = Bundle.module.url(forResource: "Schemas", withExtension: nil) else { return nil }
        let url = directory.appendingPathComponent("\(name).schema.json")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    private static func load(named name: String) throws(SchemaLoadingError) -> JSONSchemaValidator {
        guard let url = bundledSchemaURL(named: name) else {
            throw SchemaLoadingError("bundled schema Schemas/\(name).schema.json not found")
        }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw SchemaLoadingError("cannot read \(url.path): \(error)")
        }
        do {
            return try JSONSchemaValidator(schema: bytes)
        } catch {
            throw SchemaLoadingError("\(name).schema.json: \(error.message)")
        }
    }
}

/// The state of one validation: current JSON Pointer (as components, rendered only for violations) and findings.
private struct Run {
    enum Component {
        case key(String)
        case index(Int)
    }

    let definitions: [String: SchemaNode]
    let root: SchemaNode
    var path: [Component] = []
    var violations: [SchemaViolation] = []
    var depth = 0

    init(definitions: [String: SchemaNode], root: SchemaNode) {
        self.definitions = definitions
        self.root = root
    }

    var pointer: String {
        var result = ""
        for component in path {
            result.append("/")
            switch component {
            case .key(let key):
                result += key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            case .index(let index):
                result += String(index)
            }
        }
        return result
    }

    mutating func fail(_ message: String) {
        violations.append(SchemaViolation(path: pointer, message: message))
    }

    mutating func fail(key: String, _ message: String) {
        path.append(.key(key))
        fail(message)
        path.removeLast()
    }

    mutating func check(_ value: JSONValue, _ node: SchemaNode) {
        if let constant = node.constant {
            if !constant { fail("is not allowed") }
            return
        }
        depth += 1
        defer { depth -= 1 }
        guard depth < 512 else {
            fail("schema recursion is too deep")
            return
        }

        if let types = node.types, !Self.matches(value, types) {
            fail("expected \(types.description), found \(Self.describe(value))")
            return  // Other keywords would only repeat the type error.
        }
        if let ref = node.ref {
            let target = ref.isEmpty ? root : definitions[ref]
            if let target { check(value, target) }
        }
        if let allowed = node.enumValues, !allowed.contains(value) {
            fail("must be one of \(allowed.map(\.description).joined(separator: ", "))")
        }
        if let expected = node.constValue, expected != value {
            fail("must be \(expected.description)")
        }

        switch value {
        case .string(let text):
            checkString(text, node)
        case .number(let number):
            checkNumber(number, node)
        case .array(let elements):
            checkArray(elements, node)
        case .object(let members):
            checkObject(members, node)
        case .null, .bool:
            break
        }

        for branch in node.allOf {
            check(value, branch)
        }
        if !node.anyOf.isEmpty {
            checkAlternatives(value, node.anyOf, exactlyOne: false)
        }
        if !node.oneOf.isEmpty {
            checkAlternatives(value, node.oneOf, exactlyOne: true)
        }
        if let negated = node.not {
            let mark = violations.count
            check(value, negated)
            let matched = violations.count == mark
            violations.removeSubrange(mark...)
            if matched { fail("must not match the schema in \"not\"") }
        }
    }

    private mutating func checkString(_ text: String, _ node: SchemaNode) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                fail(minimum == 1 ? "must not be empty" : "must be at least \(minimum) characters")
            }
            if let maximum = node.maxLength, length > maximum {
                fail("must be at most \(maximum) characters")
            }
        }
        if let pattern = node.pattern, !pattern.matches(text) {
            fail("must match pattern \(pattern.source)")
        }
        if let format = node.format {
            switch format {
            case .date where CalendarDate(text) == nil:
                fail("is not a valid date (YYYY-MM-DD)")
            case .dateTime where RFC3339.parse(text) == nil:
                fail("is not a valid RFC 3339 date-time")
            case .uuid where !Self.isUUID(text):
                fail("is not a valid UUID")
            case .email where !FieldCheck.isEmail(text):
                fail("is not a valid email address")
            default:
                break
            }
        }
    }

    private mutating func checkNumber(_ number: Double, _ node: SchemaNode) {
        if let minimum = node.minimum, number < minimum { fail("must be at least \(Self.format(minimum))") }
        if let maximum = node.maximum, number > maximum { fail("must be at most \(Self.format(maximum))") }
        if let minimum = node.exclusiveMinimum, number <= minimum {
            fail("must be greater than \(Self.format(minimum))")
        }
        if let maximum = node.exclusiveMaximum, number >= maximum { fail("must be less than \(Self.format(maximum))") }
    }

    private mutating func checkArray(_ elements: [JSONValue], _ node: SchemaNode) {
        if let minimum = node.minItems, elements.count < minimum {
            fail("must have at least \(minimum) item\(minimum == 1 ? "" : "s")")
        }
        if let maximum = node.maxItems, elements.count > maximum {
            fail("must have at most \(maximum) item\(maximum == 1 ? "" : "s")")
        }
        if node.uniqueItems && elements.count > 1 {
            var seen = Set<JSONValue>()
            for (position, element) in elements.enumerated() where !seen.insert(element).inserted {
                path.append(.index(position))
                fail("duplicates an earlier item")
                path.removeLast()
            }
        }
        if let items = node.items {
            for (position, element) in elements.enumerated() {
                path.append(.index(position))
                check(element, items)
                path.removeLast()
            }
        }
    }

    private mutating func checkObject(_ members: [String: JSONValue], _ node: SchemaNode) {
        if let minimum = node.minProperties, members.count < minimum {
            fail("must have at least \(minimum) propert\(minimum == 1 ? "y" : "ies")")
        }
        if let maximum = node.maxProperties, members.count > maximum {
            fail("must have at most \(maximum) propert\(maximum == 1 ? "y" : "ies")")
        }
        for name in node.required where members[name] == nil {
            fail(key: name, "is required")
        }
        for (name, property) in node.propertyOrder {
            guard let member = members[name] else { continue }
            path.append(.key(name))
            check(member, property)
            path.removeLast()
        }
        guard node.additionalProperties != nil || !node.patternProperties.isEmpty else { return }
        for (name, member) in members {
            var matchedPattern = false
            for (pattern, property) in node.patternProperties where pattern.matches(name) {
                matchedPattern = true
                path.append(.key(name))
                check(member, property)
                path.removeLast()
            }
            guard !matchedPattern, node.properties[name] == nil, let additional = node.additionalProperties else {
                continue
            }
            if additional.constant == false {
                fail(key: name, "is not allowed")
            } else {
                path.append(.key(name))
                check(member, additional)
                path.removeLast()
            }
        }
    }

    /// `anyOf` / `oneOf`: branches run against the shared list and are rolled back; when none matches,
    /// the findings of the closest branch (fewest violations) are reported after a summary.
    private mutating func checkAlternatives(_ value: JSONValue, _ branches: [SchemaNode], exactlyOne: Bool) {
        let mark = violations.count
        var matches = 0
        var closest: [SchemaViolation]?
        for branch in branches {
            check(value, branch)
            if violations.count == mark {
                matches += 1
            } else {
                let found = Array(violations[mark...])
                if closest.map({ found.count < $0.count }) ?? true { closest = found }
                violations.removeSubrange(mark...)
            }
            if matches > 1 && exactlyOne { break }
        }
        if matches == 0 {
            fail(exactlyOne ? "must match exactly one of the allowed schemas (oneOf)" : "must match at least one of the allowed schemas (anyOf)")
            violations.append(contentsOf: closest ?? [])
        } else if exactlyOne && matches > 1 {
            fail("must match exactly one of the allowed schemas (oneOf), but matches several")
        }
    }

    private static func matches(_ value: JSONValue, _ types: SchemaNode.TypeSet) -> Bool {
        switch value {
        case .null: types.contains(.null)
        case .bool: types.contains(.boolean)
        case .string: types.contains(.string)
        case .array: types.contains(.array)
        case .object: types.contains(.object)
        case .number(let number):
            types.contains(.number) || (types.contains(.integer) && number.isFinite && number.rounded() == number)
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): "number \(format(number))"
        case .string: "string"
        default: value.typeName
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// `8-4-4-4-12` hex digits, either case (RFC 9562 text form).
    private static func isUUID(_ text: String) -> Bool {
        UUID(text: text) != nil
    }
}
