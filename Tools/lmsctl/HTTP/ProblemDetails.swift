import Contracts
import Foundation
import ServiceHTTP

/// An RFC 9457 problem as the services send it, and how lmsctl prints it.
struct ProblemDetails: Decodable, Sendable, Equatable {
    var type: String?
    var title: String?
    var status: Int?
    var detail: String?
    var errors: [FieldError]?

    /// The problem in a response body, or nil when the body is not a problem document.
    static func parse(_ body: [UInt8]) -> ProblemDetails? {
        guard let problem = try? LMSJSON.decode(ProblemDetails.self, from: body), problem.title != nil || problem.detail != nil else { return nil }
        return problem
    }

    /// `error: 422 Unprocessable Content — Validation failed`, the detail, then one line per field.
    /// Bodies that are not problems are shown as text, shortened to 500 characters.
    static func render(status: Int, reason: String, body: [UInt8], context: String? = nil) -> [String] {
        var lines: [String] = []
        let prefix = context.map { "\($0): " } ?? ""
        if let problem = parse(body) {
            lines.append("error: \(prefix)\(status) \(problem.title ?? reason)")
            if let detail = problem.detail, !detail.isEmpty { lines.append("  \(detail)") }
            for error in problem.errors ?? [] { lines.append("  - \(error.field): \(error.message)") }
        } else {
            lines.append("error: \(prefix)HTTP \(status) \(reason)")
            var text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.count > 500 { text = String(text.prefix(500)) + "…" }
            if !text.isEmpty { lines.append("  \(text)") }
        }
        return lines
    }
}
