import Contracts
import Foundation
import Testing

@Suite("JSONSchemaValidator keywords")
struct SchemaValidatorTests {
    static func validator(_ schema: String) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: Array(schema.utf8))
    }

    static func paths(_ validator: JSONSchemaValidator, _ json: String) -> [String] {
        validator.validate(Array(json.utf8)).map(\.path)
    }

    @Test("type, integer, arrays of types")
    func types() throws {
        let v = try Self.validator(#"{"properties": {"i": {"type": "integer"}, "n": {"type": ["number", "null"]}, "s": {"type": "string"}}}"#)
        #expect(Self.paths(v, #"{"i": 1, "n": null, "s": "x"}"#) == [])
        #expect(Self.paths(v, #"{"i": 1.0, "n": 2.5}"#) == [])
        #expect(Self.paths(v, #"{"i": 1.5, "n": "x", "s": 1}"#) == ["/i", "/n", "/s"])
        let message = v.validate(Array(#"{"i": 1.5}"#.utf8)).first?.message
        #expect(message == "expected integer, found number 1.5")
    }

    @Test("required, additionalProperties, patternProperties")
    func objects() throws {
        let v = try Self.validator(
            #"""
            {"type": "object", "required": ["a"], "properties": {"a": {}},
             "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}
            """#)
        #expect(Self.paths(v, #"{"a": 1, "x-y": "z"}"#) == [])
        #expect(Self.paths(v, #"{"x-y": 2, "b": 1}"#) == ["/a", "/b", "/x-y"])
        let schemaAdditional = try Self.validator(#"{"additionalProperties": {"type": "integer", "minimum": 0}}"#)
        #expect(Self.paths(schemaAdditional, #"{"a": 1, "b": -1, "c/d~e": "x"}"#) == ["/b", "/c~1d~0e"])
    }

    @Test("enum, const, pattern, lengths, ranges")
    func scalars() throws {
        let v = try Self.validator(
            #"""
            {"properties": {
              "e": {"enum": ["a", 1, null]}, "c": {"const": {"k": [1]}},
              "p": {"type": "string", "pattern": "^[a-z]+$"}, "l": {"type": "string", "minLength": 2, "maxLength": 3},
              "r": {"minimum": 0, "maximum": 1}, "x": {"exclusiveMinimum": 0, "exclusiveMaximum": 1}}}
            """#)
        #expect(Self.paths(v, #"{"e": null, "c": {"k": [1]}, "p": "abc", "l": "é😀", "r": 1, "x": 0.5}"#) == [])
        #expect(Self.paths(v, #"{"e": "b", "c": {"k": [2]}, "p": "abc\n", "l": "abcd", "r": 1.01, "x": 0}"#) == ["/c", "/e", "/l", "/p", "/r", "/x"])
        #expect(Self.paths(v, #"{"l": "a"}"#) == ["/l"])
    }

    @Test("patterns use ECMA-262 semantics for $ and \\d")
    func ecmaPatterns() throws {
        let v = try Self.validator(
            #"{"properties": {"d": {"type": "string", "pattern": "^\\d+$"}, "t": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"}}}"#)
        #expect(Self.paths(v, #"{"d": "123", "t": "acme-1"}"#) == [])
        #expect(Self.paths(v, #"{"d": "١٢٣", "t": "acme\n"}"#) == ["/d", "/t"])
        #expect(Self.paths(v, #"{"t": "a"}"#) == ["/t"])
        // Unanchored patterns search anywhere.
        let unanchored = try Self.validator(#"{"pattern": "b"}"#)
        #expect(unanchored.validate("abc").isEmpty)
    }

    @Test("attribute names: native fast path and the regex agree")
    func attributeNames() throws {
        let native = try JSONSchemaValidator.bundled(for: .userCreated)
        // Same character class with a different length bound, so it runs through NSRegularExpression.
        let regex = try Self.validator(##"{"patternProperties": {"^[^\\u0000-\\u001f\\u007f]{1,65}$": true}, "additionalProperties": false}"##)
        let base: [String: JSONValue] = ["tenantId": "acme", "userId": "u", "email": "a@b.co", "givenName": "A", "familyName": "B"]
        for (name, valid) in [
            ("costCenter", true), ("badge number", true), ("Kostenstelle-ä😀", true), ("", false),
            ("tab\tname", false), ("del\u{7F}", false), (String(repeating: "x", count: 64), true),
            (String(repeating: "x", count: 65), false),
        ] {
            var payload = base
            payload["attributes"] = [name: "v"]
            #expect(native.validate(.object(payload)).isEmpty == valid, "\(name)")
            if name.unicodeScalars.count <= 64 {
                #expect(regex.validate([name: true]).isEmpty == valid, "\(name)")
            }
        }
    }

    @Test("items, minItems, maxItems, uniqueItems")
    func arrays() throws {
        let v = try Self.validator(#"{"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": true}"#)
        #expect(Self.paths(v, #"["a", "b"]"#) == [])
        #expect(Self.paths(v, #"["a", 1, "a"]"#) == ["/1", "/2"])
        #expect(Self.paths(v, #"[]"#) == [""])
        #expect(Self.paths(v, #"["a", "b", "c", "d"]"#) == [""])
    }

    @Test("formats are asserted")
    func formats() throws {
        let v = try Self.validator(
            #"""
            {"properties": {"d": {"format": "date"}, "t": {"format": "date-time"}, "u": {"format": "uuid"},
             "e": {"format": "email"}}}
            """#)
        #expect(
            Self.paths(
                v, #"{"d": "2024-02-29", "t": "2024-02-29T10:00:00+01:00", "u": "6BA7B810-9dad-11d1-80b4-00c04fd430c8", "e": "a.b+c@d.example"}"#)
                == [])
        #expect(
            Self.paths(v, #"{"d": "2023-02-29", "t": "2024-02-29", "u": "6ba7b8109dad11d180b400c04fd430c8", "e": "a@b"}"#) == [
                "/d", "/e", "/t", "/u",
            ])
        for bad in ["@b.c", "a@.c", "a@b.", "a b@c.d", "a@b@c.d", "plain"] {
            #expect(Self.paths(v, #"{"e": "\#(bad)"}"#) == ["/e"], "\(bad)")
        }
        // Formats only apply to strings.
        #expect(Self.paths(v, #"{"d": 5}"#) == [])
    }

    @Test("$ref to $defs, oneOf, anyOf, allOf, not, boolean schemas")
    func composition() throws {
        let v = try Self.validator(
            #"""
            {"$defs": {"pos": {"type": "integer", "minimum": 1}, "str": {"type": "string"}},
             "properties": {
               "r": {"$ref": "#/$defs/pos"},
               "o": {"oneOf": [{"$ref": "#/$defs/pos"}, {"$ref": "#/$defs/str"}]},
               "o2": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
               "a": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/str"}]},
               "all": {"allOf": [{"minimum": 0}, {"maximum": 10}]},
               "n": {"not": {"type": "string"}},
               "t": true, "f": false}}
            """#)
        #expect(Self.paths(v, #"{"r": 2, "o": "x", "o2": 1.5, "a": null, "all": 5, "n": 1, "t": [1]}"#) == [])
        #expect(
            Self.paths(v, #"{"r": 0, "o": 0, "o2": 1, "a": 1, "all": 11, "n": "s", "f": 1}"#)
                == ["/a", "/a", "/all", "/f", "/n", "/o", "/o", "/o2", "/r"])
    }

    @Test("not JSON and wrong top-level type")
    func documentErrors() throws {
        let v = try Self.validator(#"{"type": "object"}"#)
        #expect(Self.paths(v, "{") == [""])
        #expect(v.validate(Array("[1]".utf8)) == [SchemaViolation(path: "", message: "expected object, found array")])
        #expect(v.validate([:]).isEmpty)
    }

    @Test(
        "schemas with unsupported keywords, bad refs or bad patterns are refused at load",
        arguments: [
            #"{"if": {"type": "string"}}"#, ##"{"$ref": "#/$defs/missing"}"##, #"{"$ref": "other.json"}"#,
            #"{"pattern": "("}"#, #"{"format": "hostname"}"#, #"{"type": "text"}"#, #"{"minLength": -1}"#, "[]", "{",
        ])
    func loadErrors(schema: String) {
        #expect(throws: SchemaLoadingError.self) { try Self.validator(schema) }
    }

    @Test("violations on a real payload name JSON pointers")
    func realPayload() throws {
        let validator = try JSONSchemaValidator.bundled(for: .enrollRequested)
        let sample = try #require(Samples.all.first { $0.type == .enrollRequested })
        var json = try #require(try JSONValue(parsing: LMSJSON.encode(sample.payload)).objectValue)
        json["ruleId"] = "nope"
        json["explanation"] = [
            "ruleId": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "ruleVersion": 1, "ruleName": "", "matched": true,
            "conditions": [["field": "department", "op": "eq", "result": "yes"]],
        ]
        let violations = validator.validate(.object(json))
        #expect(violations.map(\.path) == ["/explanation/conditions/0/result", "/explanation/ruleName", "/ruleId"])
        #expect(violations.allSatisfy { !$0.message.isEmpty })
    }
}
