import Contracts
import ReportService
import ServiceHTTP
import TestSupport
import Testing

@Suite("report-service platform routes", .hangGuard)
struct ReportPlatformRoutesTests {
    @Test func servesHealthAndItsOpenAPIDocument() async throws {
        try await ServiceHarness.run(.reportService, schemaPrefix: "rep") { service in
            #expect(try await service.http.send("GET", "/health/live").status == 200)
            let document = try await service.http.send("GET", "/openapi.json")
            #expect(document.status == 200)
            #expect(document.json["info"]?.string("title")?.contains("report-service") == true, "\(document.text.prefix(200))")
        }
    }
}
