import Testing

@testable import LmsCtl

@Suite("Problem rendering and exit codes")
struct ProblemRenderingTests {
    @Test func rendersTitleDetailAndEachFieldError() {
        let body =
            #"{"type":"https://lms.example/problems/validation","title":"Validation failed","status":422,"detail":"2 fields are invalid","errors":[{"field":"title","message":"must not be empty"},{"field":"capacity","message":"must be at least 0"}]}"#
        let lines = ProblemDetails.render(status: 422, reason: "Unprocessable Content", body: Array(body.utf8), context: "courses put")
        #expect(
            lines == [
                "error: courses put: 422 Validation failed", "  2 fields are invalid", "  - title: must not be empty",
                "  - capacity: must be at least 0",
            ])
    }

    @Test func showsBodiesThatAreNotProblemsAsText() {
        let lines = ProblemDetails.render(status: 502, reason: "Bad Gateway", body: Array("<html>upstream down</html>".utf8))
        #expect(lines == ["error: HTTP 502 Bad Gateway", "  <html>upstream down</html>"])
        let long = ProblemDetails.render(status: 500, reason: "x", body: Array(String(repeating: "a", count: 600).utf8))
        #expect(long[1].count == 2 + 500 + 1)
    }

    @Test func statusDecidesTheExitCode() {
        func status(_ code: Int) -> CLIExitStatus? {
            do {
                _ = try APIResponse(status: code, reason: "", contentType: nil, body: Array("{}".utf8)).requireSuccess()
                return nil
            } catch {
                return error.status
            }
        }
        #expect(status(200) == nil)
        #expect(status(204) == nil)
        #expect(status(404) == .clientError)
        #expect(status(422) == .clientError)
        #expect(status(500) == .serverError)
        #expect(status(503) == .serverError)
        #expect(Set(CLIExitStatus.allCases.map(\.rawValue)).count == CLIExitStatus.allCases.count)
    }
}
