import Contracts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceHTTP
import Testing

/// Link tokens travel in the path; the request log must show the route template instead (M7).
@Suite("Request log redaction")
struct RequestLogRedactionTests {
    @Test("The request log names the route template, never the link token in the path")
    func linkTokenNotLogged() async throws {
        let app = try TestApp()
        let router = app.router()
        router.post("/v1/self-enrollments/links/:token") { _, _ -> HTTPResponse.Status in .created }
        router.post("/v1/failing/:token") { _, _ -> HTTPResponse.Status in throw TestApp.Refusal() }
        let (logger, logs) = LogCapture.logger()
        let token = "tok_Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg"
        try await Application(router: router, logger: logger).test(.router) { client in
            let created = try await client.send("/v1/self-enrollments/links/\(token)", method: .post, token: adminToken(), body: "{}")
            #expect(created.status == .created)
            let failed = try await client.send("/v1/failing/\(token)", method: .post, token: adminToken(), body: "{}")
            #expect(failed.status == .internalServerError)
            let unknown = try await client.send("/v1/self-enrollments/links/\(token)/extra", method: .post, token: adminToken(), body: "{}")
            #expect(unknown.status == .notFound)
        }
        let records = logs.all
        let finished = records.filter { $0.message == "Request finished" }
        #expect(finished.count == 3)
        #expect(finished.first?.metadata["http.path"] == "/v1/self-enrollments/links/{token}")
        #expect(finished.last?.metadata["http.status"] == "404")
        #expect(records.contains { $0.message == "Request failed" && $0.metadata["http.path"] == "/v1/failing/{token}" })
        for record in records {
            #expect(!record.text.contains(token), "logged: \(record.text)")
        }
    }
}
