import Foundation

/// Where the running stack is: flags first, then the environment, then `.lms/stack.env` (what
/// `scripts/run` writes), then the default ports.
struct BenchSettings: Sendable {
    var userService: String
    var enrollmentService: String
    var rulesWorker: String
    var progressService: String
    var reportService: String
    var brokers: String
    var databaseURL: String?
    var jwtSecret: String

    static func load(envFile: String?, overrides: [String: String]) throws -> BenchSettings {
        var values: [String: String] = [:]
        let path = envFile ?? findStackEnv()
        if let path, let text = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                var trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("#") { continue }
                if trimmed.hasPrefix("export ") { trimmed = String(trimmed.dropFirst(7)) }
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                var value = String(trimmed[trimmed.index(after: equals)...])
                if value.count >= 2, value.first == value.last, value.first == "\"" || value.first == "'" {
                    value = String(value.dropFirst().dropLast())
                }
                values[String(trimmed[..<equals])] = value
            }
        }
        for (key, value) in ProcessInfo.processInfo.environment where key.hasPrefix("LMS_") { values[key] = value }
        for (key, value) in overrides { values[key] = value }
        guard let secret = values["LMS_JWT_SECRET"] else {
            throw BenchError("LMS_JWT_SECRET is not set: start the stack with scripts/run --release (it writes .lms/stack.env) or pass --env-file")
        }
        guard let brokers = values["LMS_KAFKA_BROKERS"] else { throw BenchError("LMS_KAFKA_BROKERS is not set (flag --brokers or .lms/stack.env)") }
        return BenchSettings(
            userService: values["LMS_USER_SERVICE_URL"] ?? "http://127.0.0.1:8081",
            enrollmentService: values["LMS_ENROLLMENT_SERVICE_URL"] ?? "http://127.0.0.1:8082",
            rulesWorker: values["LMS_RULES_WORKER_URL"] ?? "http://127.0.0.1:8083",
            progressService: values["LMS_PROGRESS_SERVICE_URL"] ?? "http://127.0.0.1:8084",
            reportService: values["LMS_REPORT_SERVICE_URL"] ?? "http://127.0.0.1:8085",
            brokers: brokers, databaseURL: values["LMS_DATABASE_URL"], jwtSecret: secret)
    }

    /// `.lms/stack.env` in the current directory or the nearest parent.
    private static func findStackEnv() -> String? {
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            let candidate = folder.appendingPathComponent(".lms/stack.env").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}
