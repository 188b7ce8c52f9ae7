import Contracts
import Foundation
import Testing

@Suite("JSONValue and JSON Merge Patch (RFC 7396)")
struct JSONValueTests {
    @Test("absent members stay unchanged, null removes, nested objects merge")
    func mergeSemantics() {
        let profile: JSONValue = [
            "email": "a@acme.example", "department": "R&D", "location": "London",
            "attributes": ["costCenter": "CC-1", "shift": "day", "level": 2],
        ]
        let patch: JSONValue = [
            "email": "b@acme.example", "department": nil,
            "attributes": ["shift": nil, "level": 3, "remote": true],
        ]
        #expect(
            profile.mergePatch(patch) == [
                "email": "b@acme.example", "location": "London",
                "attributes": ["costCenter": "CC-1", "level": 3, "remote": true],
            ])
    }

    /// The examples of RFC 7396 Appendix A.
    @Test(
        "RFC 7396 appendix A",
        arguments: [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
            (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
            (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
            (#"{"a":"foo"}"#, #"null"#, #"null"#),
            (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
            (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
            (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ])
    func rfcExamples(original: String, patch: String, result: String) throws {
        let target = try JSONValue(parsing: Array(original.utf8))
        let merged = target.mergePatch(try JSONValue(parsing: Array(patch.utf8)))
        #expect(merged == (try JSONValue(parsing: Array(result.utf8))))
    }

    @Test("Codable round trip through LMSJSON, integers stay integers")
    func codable() throws {
        let value: JSONValue = ["n": 5, "f": 1.5, "big": 12_345_678_901_234_567, "s": "x/y", "b": false, "z": nil, "a": [1, "2", [3]]]
        let text = String(decoding: try LMSJSON.encode(value), as: UTF8.self)
        #expect(text == #"{"a":[1,"2",[3]],"b":false,"big":12345678901234568,"f":1.5,"n":5,"s":"x/y","z":null}"#)
        #expect(try LMSJSON.decode(JSONValue.self, from: Array(text.utf8)) == value)
        #expect(try JSONValue(parsing: Array(text.utf8)) == value)
    }

    @Test("parser: escapes, unicode, strictness")
    func parser() throws {
        #expect(try JSONValue(parsing: Array(#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#.utf8)) == "a\"b\\c/d\né😀")
        #expect(try JSONValue(parsing: Array(" [ -0.5e2 , 0 , 1E+2 ] ".utf8)) == [-50, 0, 100])
        for bad in ["01", "1.", "-", "[1,]", "{\"a\":1,}", "'x'", "\"\\x\"", "\"\\ud800\"", "tru", "1e999", "\"a\nb\"", "{1:2}"] {
            #expect(throws: PayloadDecodingError.self, "\(bad)") { try JSONValue(parsing: Array(bad.utf8)) }
        }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: PayloadDecodingError.self) { try JSONValue(parsing: Array(deep.utf8)) }
    }

    @Test("accessors")
    func accessors() {
        let value: JSONValue = ["a": ["b": true], "n": 2, "s": "t", "l": [1]]
        #expect(value["a"]?["b"]?.boolValue == true)
        #expect(value["n"]?.doubleValue == 2)
        #expect(value["s"]?.stringValue == "t")
        #expect(value["l"]?.arrayValue == [1])
        #expect(value["missing"] == nil)
        #expect(value.typeName == "object")
        #expect(JSONValue(AttributeValue.number(2)) == 2)
    }
}
