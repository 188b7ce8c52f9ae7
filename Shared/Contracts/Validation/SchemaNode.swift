import Foundation

/// One compiled (sub)schema: keywords are parsed once at load so validation only walks the value.
final class SchemaNode: Sendable {
    struct TypeSet: OptionSet, Sendable {
        let rawValue: UInt8
        static let null = TypeSet(rawValue: 1 << 0)
        static let boolean = TypeSet(rawValue: 1 << 1)
        static let object = TypeSet(rawValue: 1 << 2)
        static let array = TypeSet(rawValue: 1 << 3)
        static let number = TypeSet(rawValue: 1 << 4)
        static let integer = TypeSet(rawValue: 1 << 5)
        static let string = TypeSet(rawValue: 1 << 6)

        static let names: [(String, TypeSet)] = [
            ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
            ("number", .number), ("integer", .integer), ("string", .string),
        ]

        var description: String {
            Self.names.filter { contains($0.1) }.map(\.0).joined(separator: " or ")
        }
    }

    enum Format: String, Sendable {
        case date
        case dateTime = "date-time"
        case uuid
        case email
    }

    /// `true` / `false` schemas; `nil` for object schemas.
    let constant: Bool?
    let types: TypeSet?
    let properties: [String: SchemaNode]
    /// `properties` in document order, so violations come out in a stable order.
    let propertyOrder: [(name: String, node: SchemaNode)]
    let required: [String]
    /// `nil` when additional properties are unconstrained.
    let additionalProperties: SchemaNode?
    let patternProperties: [(pattern: SchemaPattern, node: SchemaNode)]
    let minProperties: Int?
    let maxProperties: Int?
    let enumValues: [JSONValue]?
    let constValue: JSONValue?
    let pattern: SchemaPattern?
    let minLength: Int?
    let maxLength: Int?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Double?
    let exclusiveMaximum: Double?
    let items: SchemaNode?
    let minItems: Int?
    let maxItems: Int?
    let uniqueItems: Bool
    let format: Format?
    /// Name under `$defs`; the empty string refers to the root schema.
    let ref: String?
    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let oneOf: [SchemaNode]
    let not: SchemaNode?

    private static let annotationKeywords: Set<String> = [
        "$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default", "deprecated",
        "readOnly", "writeOnly",
    ]
    private static let supportedKeywords: Set<String> = [
        "type", "properties", "required", "additionalProperties", "patternProperties", "minProperties",
        "maxProperties", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum", "items", "minItems", "maxItems", "uniqueItems", "format", "$ref",
        "allOf", "anyOf", "oneOf", "not",
    ]

    /// Compiles `json`; `pointer` locates it in the document for error messages; referenced `$defs` names
    /// are appended to `refs` so the loader can check they exist.
    init(_ json: JSONValue, at pointer: String, refs: inout [String]) throws(SchemaLoadingError) {
        // A boolean schema is one without keywords, plus its constant outcome.
        let keywords: [String: JSONValue]
        switch json {
        case .bool(let flag):
            constant = flag
            keywords = [:]
        case .object(let members):
            constant = nil
            keywords = members
        default:
            throw SchemaLoadingError("\(pointer): a schema must be an object or a boolean")
        }
        for keyword in keywords.keys.sorted()
        where !Self.supportedKeywords.contains(keyword) && !Self.annotationKeywords.contains(keyword) {
            throw SchemaLoadingError("\(pointer): unsupported keyword \(keyword)")
        }

        types = try Self.compileTypes(keywords["type"], at: pointer)

        var properties: [String: SchemaNode] = [:]
        var propertyOrder: [(name: String, node: SchemaNode)] = []
        if let value = keywords["properties"] {
            guard case .object(let members) = value else {
                throw SchemaLoadingError("\(pointer)/properties: must be an object")
            }
            for name in members.keys.sorted() {
                guard let member = members[name] else { continue }
                let node = try SchemaNode(member, at: "\(pointer)/properties/\(name)", refs: &refs)
                properties[name] = node
                propertyOrder.append((name, node))
            }
        }
        self.properties = properties
        self.propertyOrder = propertyOrder

        if let value = keywords["required"] {
            guard case .array(let names) = value else { throw SchemaLoadingError("\(pointer)/required: must be an array") }
            var required: [String] = []
            for name in names {
                guard case .string(let text) = name else {
                    throw SchemaLoadingError("\(pointer)/required: must contain strings")
                }
                required.append(text)
            }
            self.required = required
        } else {
            required = []
        }

        additionalProperties = try keywords["additionalProperties"].map { value throws(SchemaLoadingError) in
            try SchemaNode(value, at: "\(pointer)/additionalProperties", refs: &refs)
        }

        var patternProperties: [(pattern: SchemaPattern, node: SchemaNode)] = []
        if let value = keywords["patternProperties"] {
            guard case .object(let members) = value else {
                throw SchemaLoadingError("\(pointer)/patternProperties: must be an object")
            }
            for source in members.keys.sorted() {
                guard let member = members[source] else { continue }
                patternProperties.append(
                    (try SchemaPattern(source), try SchemaNode(member, at: "\(pointer)/patternProperties/\(source)", refs: &refs)))
            }
        }
        self.patternProperties = patternProperties

        minProperties = try Self.count(keywords, "minProperties", at: pointer)
        maxProperties = try Self.count(keywords, "maxProperties", at: pointer)

        if let value = keywords["enum"] {
            guard case .array(let values) = value, !values.isEmpty else {
                throw SchemaLoadingError("\(pointer)/enum: must be a non-empty array")
            }
            enumValues = values
        } else {
            enumValues = nil
        }
        constValue = keywords["const"]

        pattern = try keywords["pattern"].map { value throws(SchemaLoadingError) in
            guard case .string(let source) = value else { throw SchemaLoadingError("\(pointer)/pattern: must be a string") }
            return try SchemaPattern(source)
        }
        minLength = try Self.count(keywords, "minLength", at: pointer)
        maxLength = try Self.count(keywords, "maxLength", at: pointer)
        minimum = try Self.number(keywords, "minimum", at: pointer)
        maximum = try Self.number(keywords, "maximum", at: pointer)
        exclusiveMinimum = try Self.number(keywords, "exclusiveMinimum", at: pointer)
        exclusiveMaximum = try Self.number(keywords, "exclusiveMaximum", at: pointer)

        items = try keywords["items"].map { value throws(SchemaLoadingError) in
            try SchemaNode(value, at: "\(pointer)/items", refs: &refs)
        }
        minItems = try Self.count(keywords, "minItems", at: pointer)
        maxItems = try Self.count(keywords, "maxItems", at: pointer)
        switch keywords["uniqueItems"] {
        case nil: uniqueItems = false
        case .bool(let flag)?: uniqueItems = flag
        default: throw SchemaLoadingError("\(pointer)/uniqueItems: must be a boolean")
        }

        if let value = keywords["format"] {
            guard case .string(let name) = value, let format = Format(rawValue: name) else {
                throw SchemaLoadingError("\(pointer)/format: unsupported format \(value)")
            }
            self.format = format
        } else {
            format = nil
        }

        if let value = keywords["$ref"] {
            guard case .string(let reference) = value else { throw SchemaLoadingError("\(pointer)/$ref: must be a string") }
            if reference == "#" {
                ref = ""
            } else if reference.hasPrefix("#/$defs/") {
                let escapedName = reference.dropFirst("#/$defs/".count)
                guard !escapedName.isEmpty, !escapedName.contains("/") else {
                    throw SchemaLoadingError("\(pointer)/$ref: only #/$defs/<name> references are supported")
                }
                let name = escapedName.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                ref = name
                refs.append(name)
            } else {
                throw SchemaLoadingError("\(pointer)/$ref: only #/$defs/<name> references are supported, not \(reference)")
            }
        } else {
            ref = nil
        }

        allOf = try Self.list(keywords, "allOf", at: pointer, refs: &refs)
        anyOf = try Self.list(keywords, "anyOf", at: pointer, refs: &refs)
        oneOf = try Self.list(keywords, "oneOf", at: pointer, refs: &refs)
        not = try keywords["not"].map { value throws(SchemaLoadingError) in
            try SchemaNode(value, at: "\(pointer)/not", refs: &refs)
        }
    }

    private static func compileTypes(_ value: JSONValue?, at pointer: String) throws(SchemaLoadingError) -> TypeSet? {
        guard let value else { return nil }
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let list) where !list.isEmpty: names = list
        default: throw SchemaLoadingError("\(pointer)/type: must be a type name or a non-empty array of them")
        }
        var set: TypeSet = []
        for name in names {
            guard case .string(let text) = name, let type = TypeSet.names.first(where: { $0.0 == text })?.1 else {
                throw SchemaLoadingError("\(pointer)/type: unknown type \(name)")
            }
            set.insert(type)
        }
        return set
    }

    private static func count(_ keywords: [String: JSONValue], _ name: String, at pointer: String) throws(SchemaLoadingError) -> Int? {
        guard let value = keywords[name] else { return nil }
        guard case .number(let number) = value, number >= 0, let count = Int(exactly: number) else {
            throw SchemaLoadingError("\(pointer)/\(name): must be a non-negative integer")
        }
        return count
    }

    private static func number(_ keywords: [String: JSONValue], _ name: String, at pointer: String) throws(SchemaLoadingError) -> Double? {
        guard let value = keywords[name] else { return nil }
        guard case .number(let number) = value else { throw SchemaLoadingError("\(pointer)/\(name): must be a number") }
        return number
    }

    private static func list(
        _ keywords: [String: JSONValue], _ name: String, at pointer: String, refs: inout [String]
    ) throws(SchemaLoadingError) -> [SchemaNode] {
        guard let value = keywords[name] else { return [] }
        guard case .array(let schemas) = value, !schemas.isEmpty else {
            throw SchemaLoadingError("\(pointer)/\(name): must be a non-empty array of schemas")
        }
        var nodes: [SchemaNode] = []
        for (position, schema) in schemas.enumerated() {
            nodes.append(try SchemaNode(schema, at: "\(pointer)/\(name)/\(position)", refs: &refs))
        }
        return nodes
    }
}
