import Contracts

/// A service's answer: status, content type and the whole body.
struct APIResponse: Sendable {
    var status: Int
    var reason: String
    var contentType: String?
    var body: [UInt8]

    var isSuccess: Bool { (200..<300).contains(status) }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON.
    func json() throws(CLIError) -> JSONValue {
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw CLIError("the service answered \(status) with a body that is not JSON: \(String(text.prefix(200)))")
        }
    }

    /// Throws the rendered problem unless the status is 2xx: exit 4 for 4xx, 5 for anything else.
    func requireSuccess(context: String? = nil) throws(CLIError) -> APIResponse {
        guard !isSuccess else { return self }
        let lines = ProblemDetails.render(status: status, reason: reason, body: body, context: context)
        throw CLIError(lines: lines, status: (400..<500).contains(status) ? .clientError : .serverError)
    }
}
