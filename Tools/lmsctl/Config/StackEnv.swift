import Foundation

/// The variables of a `.lms/stack.env` file (what `scripts/run` writes): `KEY=VALUE` lines.
///
/// Accepted: blank lines, `#` comments, an optional `export ` prefix, and values in single or
/// double quotes (quotes removed; `\"` and `\\` unescaped in double quotes). Anything else on a
/// line without `=` is reported with its line number.
struct StackEnv: Sendable, Equatable {
    var values: [String: String] = [:]
    /// Where it was read from, when it came from a file.
    var path: String?

    subscript(key: String) -> String? { values[key] }

    static func parse(_ text: String, path: String? = nil) throws(CLIError) -> StackEnv {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw CLIError("\(path ?? "stack env"):\(index + 1): expected KEY=VALUE, found '\(line)'")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw CLIError("\(path ?? "stack env"):\(index + 1): '\(key)' is not a variable name")
            }
            values[key] = unquote(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return StackEnv(values: values, path: path)
    }

    static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") { return String(value.dropFirst().dropLast()) }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            var result = ""
            var escaped = false
            for character in value.dropFirst().dropLast() {
                if escaped {
                    result.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else {
                    result.append(character)
                }
            }
            return result
        }
        return value
    }

    static func load(path: String) throws(CLIError) -> StackEnv {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read env file \(path)") }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// `.lms/stack.env` in `directory` or the nearest parent that has one.
    static func find(from directory: String) -> String? {
        var url = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        while true {
            let candidate = url.appendingPathComponent(".lms/stack.env").path
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
            let parent = url.deletingLastPathComponent().standardizedFileURL
            if parent.path == url.path { return nil }
            url = parent
        }
    }
}
