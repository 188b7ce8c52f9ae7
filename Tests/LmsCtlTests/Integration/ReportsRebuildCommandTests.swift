import Contracts
import Foundation
import PostgresNIO
import ReportService
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// `lmsctl reports rebuild`: starts a rebuild of the caller's tenant and, with `--wait`, follows it
/// until the owning services have answered.
@Suite("lmsctl reports rebuild", .serialized, .hangGuard)
struct ReportsRebuildCommandTests {
    @Test func rebuildWaitsUntilEveryOwnerHasAnsweredThenShowsIt() async throws {
        try await ServiceHarness.run(.reportService, schemaPrefix: "ctl_rebuild") { service in
            let environment = HTTPCommandTests.environment("LMS_REPORT_SERVICE_URL", service)
            async let waited = LmsCtlProcess.run(["reports", "rebuild", "--wait", "--tenant", "acme"], environment: environment)
            let started = try await eventually(timeout: .seconds(60)) {
                try await service.count("SELECT count(*)::int FROM report_rebuilds WHERE tenant_id = 'acme' AND status = 'running'") == 1
            }
            try #require(started, "lmsctl started a rebuild")
            var rebuildId: UUID?
            for try await id in try await service.database.client.query("SELECT rebuild_id FROM report_rebuilds", logger: service.logger)
                .decode(UUID.self)
            {
                rebuildId = id
            }
            let id = try #require(rebuildId)
            // The owners answer: nothing to re-announce for this empty tenant, one completion per source.
            try await service.publish(
                try ResyncSource.allCases.map { source in
                    try CloudEvent.make(
                        ResyncCompleted(tenantId: "acme", resyncId: id, source: source, pages: 0, items: 0, completedAt: Date()),
                        source: "/lms/\(source.owner)"
                    )
                }
            )
            let result = try await waited
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains(id.uuidString.lowercased()) && result.stdout.contains("completed"), "\(result.stdout)")

            let shown = try await LmsCtlProcess.run(
                ["reports", "rebuild", "--id", id.uuidString, "--json", "--tenant", "acme"],
                environment: environment
            )
            #expect(shown.status == 0 && shown.stdout.contains("\"completed\""), "\(shown.stdout)\(shown.stderr)")
            let otherTenant = try await LmsCtlProcess.run(
                ["reports", "rebuild", "--id", id.uuidString, "--tenant", "globex"],
                environment: environment
            )
            #expect(otherTenant.status == 4 && otherTenant.stderr.contains("404"), "\(otherTenant.stderr)")
        }
    }
}
