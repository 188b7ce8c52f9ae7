import Contracts
import Foundation
import Hummingbird

/// CSV output (RFC 4180) for list endpoints: a client asks for it with `?format=csv` or
/// `Accept: text/csv`; the body is streamed row by row (see ``CSVStream``) so large results never
/// sit in memory. Fields are quoted when they contain a comma, a quote, CR or LF; records end in
/// CRLF. A field starting with `=`, `+`, `-`, `@`, TAB or CR is prefixed with `'` so spreadsheets
/// do not run it as a formula (CSV injection, OWASP's list) — unless it is a plain number.
/// lmsctl writes its CSV with ``field(_:)`` too.
public enum CSVFormat {
    public static let contentType = "text/csv; charset=utf-8"

    /// Whether the request asks for CSV instead of JSON (`?format=csv|json` wins over `Accept`);
    /// any other `format` is a 400 problem naming the parameter.
    public static func isRequested(by request: Request) throws(Problem) -> Bool {
        if let format = request.uri.queryParameters["format"] {
            switch format.lowercased() {
            case "csv": return true
            case "json": return false
            default: throw Problem.badRequest("Unknown format.", errors: [FieldError(field: "format", message: "must be json or csv")])
            }
        }
        let accept = request.headers[.accept]?.lowercased() ?? ""
        return accept.contains("text/csv")
    }

    /// The first characters that make a spreadsheet read a cell as a formula.
    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, quoted when needed.
    public static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, formulaTriggers.contains(first), Double(value) == nil {
            value = "'" + value
        }
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record with its CRLF.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// `attachment; filename="…"` with every character outside `A-Z a-z 0-9 . _ -` replaced by `_`:
    /// file names carry path ids (a user id may hold quotes, semicolons or control characters).
    public static func contentDisposition(filename: String) -> String {
        let safe = String(
            String.UnicodeScalarView(
                filename.unicodeScalars.map { scalar in
                    scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
                        ? scalar : "_"
                }
            )
        )
        return "attachment; filename=\"\(safe)\""
    }

    /// A `200 text/csv` response whose rows `produce` writes after the `header` record;
    /// `filename` names the download (`Content-Disposition`).
    public static func response(
        filename: String,
        header: [String],
        produce: @escaping @Sendable (inout CSVStream) async throws -> Void
    ) -> Response {
        let body = ResponseBody { writer in
            var stream = CSVStream(writer: writer)
            try await stream.write(header)
            try await produce(&stream)
            try await stream.flush()
            try await stream.writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .contentDisposition: contentDisposition(filename: filename)],
            body: body
        )
    }
}
