import Contracts
import ProgressService
import ServiceHTTP
import TestSupport
import Testing

@Suite("progress-service platform routes", .timeLimit(.minutes(2)))
struct ProgressPlatformRoutesTests {
    @Test func servesHealthAndItsOpenAPIDocument() async throws {
        try await ServiceHarness.run(.progressService, schemaPrefix: "prg") { service in
            #expect(try await service.http.send("GET", "/health/live").status == 200)
            let document = try await service.http.send("GET", "/openapi.json")
            #expect(document.status == 200)
            #expect(document.json["info"]?.string("title")?.contains("progress-service") == true, "\(document.text.prefix(200))")
        }
    }
}
