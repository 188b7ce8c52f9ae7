import Contracts
import Hummingbird
import HummingbirdTesting
import ServiceHTTP
import Testing

@Suite("Problem details")
struct ProblemTests {
    let app: TestApp

    init() throws {
        app = try TestApp()
    }

    @Test("400: malformed JSON and wrongly typed fields name the field")
    func badRequest() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let typed = try await client.send("/v1/echo", method: .post, token: adminToken(), body: #"{"name":"a","count":"three"}"#)
            #expect(typed.status == .badRequest)
            let problem = try typed.problem()
            #expect(problem.type == "https://lms.example/problems/bad-request")
            #expect(problem.errors?.map(\.field) == ["count"])

            let missing = try await client.send("/v1/echo", method: .post, token: adminToken(), body: #"{"name":"a"}"#)
            #expect(try missing.problem().errors?.first?.field == "count")

            let broken = try await client.send("/v1/echo", method: .post, token: adminToken(), body: #"{"name":"#)
            #expect(broken.status == .badRequest)
            #expect(try broken.problem().errors?.first?.field == "body")

            let fine = try await client.send("/v1/echo", method: .post, token: adminToken(), body: #"{"name":"a","count":3}"#)
            #expect(fine.status == .ok)
            #expect(fine.headers[.contentType] == "application/json; charset=utf-8")
            #expect(fine.text == #"{"count":3,"name":"a"}"#)
        }
    }

    @Test("401 and 403")
    func unauthorizedAndForbidden() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let unauthorized = try await client.send("/v1/admin-only")
            #expect(unauthorized.status == .unauthorized)
            #expect(try unauthorized.problem().title == "Unauthorized")

            let forbidden = try await client.send("/v1/admin-only", token: adminToken(roles: [.learner]))
            #expect(forbidden.status == .forbidden)
            #expect(try forbidden.problem().detail == "This operation requires one of the roles: admin.")
        }
    }

    @Test("404: thrown by a handler and for an unknown route")
    func notFound() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let thrown = try await client.send("/v1/courses/c-9", token: adminToken())
            #expect(thrown.status == .notFound)
            let problem = try thrown.problem()
            #expect(
                problem
                    == ProblemBody(
                        type: "https://lms.example/problems/not-found",
                        title: "Not found",
                        status: 404,
                        detail: "Course c-9 was not found."
                    )
            )

            let unknown = try await client.send("/v1/nothing-here", token: adminToken())
            #expect(unknown.status == .notFound)
            #expect(try unknown.problem().type == "https://lms.example/problems/not-found")

            let unknownPublic = try await client.send("/nothing-here")
            #expect(unknownPublic.status == .notFound)
            _ = try unknownPublic.problem()
        }
    }

    @Test("405 with Allow for a documented path and an undeclared method; 404 stays 404")
    func methodNotAllowed() async throws {
        let document = #"{"paths":{"/v1/admin-only":{"get":{}},"/v1/items/{id}:archive":{"post":{}},"/v1/items/{id}":{"get":{},"patch":{}}}}"#
        try await Application(router: app.router(openAPIDocument: Array(document.utf8))).test(.router) { client in
            let wrong = try await client.send("/v1/admin-only", method: .delete, token: adminToken())
            #expect(wrong.status == .methodNotAllowed)
            #expect(wrong.headers[.allow] == "GET")
            #expect(try wrong.problem().type == "https://lms.example/problems/method-not-allowed")

            let suffixed = try await client.send("/v1/items/i-1:archive", method: .put, token: adminToken())
            #expect(suffixed.status == .methodNotAllowed)
            #expect(suffixed.headers[.allow] == "POST", "the more specific template decides, not {id}")
            let misrouted = try await client.send("/v1/items/i-1:archive", method: .patch, token: adminToken())
            #expect(misrouted.status == .methodNotAllowed, "PATCH {id} would take `i-1:archive` for an id")
            #expect(try await client.send("/v1/items/i-1", method: .put, token: adminToken()).headers[.allow] == "GET, PATCH")

            #expect(try await client.send("/v1/admin-only", token: adminToken()).status == .noContent, "a routed request passes")
            #expect(try await client.send("/v1/nothing-here", method: .delete, token: adminToken()).status == .notFound)
            #expect(try await client.send("/v1/items/a/b", method: .delete, token: adminToken()).status == .notFound)
        }
    }

    @Test("409")
    func conflict() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/conflict", token: adminToken())
            #expect(response.status == .conflict)
            #expect(
                try response.problem()
                    == ProblemBody(type: "https://lms.example/problems/conflict", title: "Conflict", status: 409, detail: "The course is full.")
            )
        }
    }

    @Test("413: a route collecting its body with an explicit limit, and the decoder's 1 MiB limit")
    func payloadTooLarge() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let small = try await client.send("/v1/bulk", method: .post, token: adminToken(), body: String(repeating: "a", count: 1000))
            #expect(small.text == "1000")

            let bulk = try await client.send("/v1/bulk", method: .post, token: adminToken(), body: String(repeating: "a", count: 5000))
            #expect(bulk.status == .contentTooLarge)
            let problem = try bulk.problem()
            #expect(problem.type == "https://lms.example/problems/payload-too-large")
            #expect(problem.detail == "The request body exceeds the limit of 1024 bytes.")

            let huge = #"{"name":""# + String(repeating: "a", count: 1_100_000) + #"","count":1}"#
            let decoded = try await client.send("/v1/echo", method: .post, token: adminToken(), body: huge)
            #expect(decoded.status == .contentTooLarge)
            #expect(try decoded.problem().detail == "The request body exceeds the limit of 1048576 bytes.")
        }
    }

    @Test("422 lists every invalid field")
    func validation() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/validate", method: .post, token: adminToken(), body: "{}")
            #expect(response.status == .unprocessableContent)
            let problem = try response.problem()
            #expect(problem.type == "https://lms.example/problems/validation")
            #expect(problem.title == "Validation failed")
            #expect(
                problem.errors == [
                    FieldError(field: "title", message: "must not be empty"), FieldError(field: "modules[1]", message: "unknown module"),
                ]
            )
        }
    }

    @Test("429 carries Retry-After")
    func tooManyRequests() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/limited", token: adminToken())
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[.retryAfter] == "30")
            #expect(try response.problem().type == "https://lms.example/problems/too-many-requests")
        }
    }

    @Test("500 from an arbitrary error leaks nothing")
    func internalError() async throws {
        try await Application(router: app.router()).test(.router) { client in
            let response = try await client.send("/v1/boom", token: adminToken())
            #expect(response.status == .internalServerError)
            let problem = try response.problem()
            #expect(problem.type == "https://lms.example/problems/internal")
            #expect(problem.title == "Internal server error")
            #expect(!response.text.contains("SELECT"))
            #expect(!response.text.contains("password"))
            #expect(!response.text.contains(".swift"))
            #expect(response.headers[.requestId] != nil)
        }
    }

    @Test("Mapping keeps HTTPError statuses and headers but hides server-side messages")
    func mapping() {
        let http = Problem(mapping: HTTPError(.methodNotAllowed, headers: [.allow: "GET"], message: "use GET"))
        #expect(http.status == .methodNotAllowed)
        #expect(http.type == "about:blank")
        #expect(http.title == "Method Not Allowed")
        #expect(http.detail == "use GET")
        #expect(http.headers[.allow] == "GET")

        let hidden = Problem(mapping: HTTPError(.badGateway, message: "upstream said: SELECT 1"))
        #expect(hidden.detail == nil)
        #expect(Problem(mapping: CancellationError()) == .internal())
    }
}
