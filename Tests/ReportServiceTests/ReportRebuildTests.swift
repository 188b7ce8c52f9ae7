import Contracts
import Foundation
import PostgresNIO
import ReportService
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// Per-tenant rebuilds: a tenant's token asks the owners to re-announce that tenant only, the
/// re-announced facts repair the tenant's rows in place (reports readable throughout), and once
/// every source is complete the rows nobody re-announced are removed. Other tenants are untouched.
@Suite("report-service rebuilds", .serialized, .hangGuard)
struct ReportRebuildTests {
    @Test func aTenantsRebuildRepairsItsReportsAndNeverTouchesAnotherTenant() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            try await service.module.publisher.publishOnce()
            let harness = service.harness
            func published(_ tenant: String) async throws -> Int {
                try await harness.outbox(.courseSummaryReports, as: CourseSummaryReport.self).filter { $0.payload.tenantId == tenant }.count
            }
            let publishedBefore = (acme: try await published("acme"), globex: try await published("globex"))
            let acme = try #require(scenario.facts.first { $0.tenant == "acme" && $0.course == "safety" })
            // Damage acme's model without changing a version, and leave a fact no owner knows, in both tenants.
            try await harness.database.client.query(
                "UPDATE enrollment_facts SET status = 'suspended' WHERE enrollment_id = \(acme.enrollmentId)",
                logger: harness.logger
            )
            for tenant in ["acme", "globex"] {
                try await harness.database.client.query(
                    """
                    INSERT INTO enrollment_facts (tenant_id, enrollment_id, course_id, user_id, cycle, role, status, source, enrollment_version)
                    VALUES (\(tenant), \(UUID()), 'safety', 'ghost', 1, 'learner', 'active', 'manual', 1)
                    """,
                    logger: harness.logger
                )
            }
            let ghosts = "SELECT count(*)::int FROM enrollment_facts WHERE user_id = 'ghost'"
            let factsBefore = try await harness.count("SELECT count(*)::int FROM enrollment_facts")

            // Who may start one: the tenant's admin or a service token with reports:rebuild.
            let rebuilder = harness.token("ops", roles: [.service], scopes: [.reportsRebuild])
            #expect(try await service.http.send("POST", "/v1/reports:rebuild", token: harness.token("ops", roles: [.service])).status == 403)
            #expect(try await service.http.send("POST", "/v1/reports:rebuild", token: harness.token("u1", roles: [.learner])).status == 403)
            let started = try await service.http.send("POST", "/v1/reports:rebuild", token: rebuilder)
            #expect(started.status == 202, "\(started.text)")
            let rebuildId = try #require(started.json.string("rebuildId").flatMap(UUID.init(uuidString:)))
            #expect(started.header("Location") == "/v1/reports/rebuilds/\(rebuildId.uuidString.lowercased())")
            #expect(started.json.string("tenantId") == "acme" && started.json.string("status") == "running")
            #expect(try await service.http.send("POST", "/v1/reports:rebuild", token: harness.admin()).status == 409)
            let other = harness.token("ops", tenant: "globex", roles: [.service], scopes: [.reportsRebuild])
            #expect(try await service.http.send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: other).status == 404)

            // Only acme's owners are asked, and nothing was emptied: the reports stay readable.
            let requests = try await harness.outbox(.resyncRequests, as: ResyncRequest.self)
            #expect(requests.map(\.payload.tenantId) == ["acme"])
            #expect(requests.first?.payload.resyncId == rebuildId)
            #expect(Set(requests.first?.payload.sources ?? []) == Set(ResyncSource.allCases))
            #expect(try await harness.count("SELECT count(*)::int FROM enrollment_facts") == factsBefore)
            let during = try await service.http.send("GET", "/v1/reports/courses/safety/summary", token: harness.admin())
            #expect(during.status == 200)

            // The owners answer: completions first, then the pages (partitions deliver in any order).
            let (pages, completions) = try scenario.resyncEvents(tenant: "acme", resyncId: rebuildId)
            #expect(try await harness.deliver(completions, to: service.module.resyncHandler).isEmpty)
            #expect(try await harness.deliver(Array(pages.dropLast()), to: service.module.resyncHandler).isEmpty)
            let waiting = try await service.http.send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: rebuilder)
            #expect(waiting.json.string("status") == "running", "one page is still missing: \(waiting.text)")
            #expect(try await harness.count(ghosts) == 2, "nothing is removed before every page is in")
            #expect(try await harness.deliver(Array(pages.suffix(1)), to: service.module.resyncHandler).isEmpty)

            let finished = try await service.http.send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: harness.admin())
            #expect(finished.json.string("status") == "completed", "\(finished.text)")
            // acme: the damaged row is repaired, the unknown one removed; globex: untouched.
            #expect(
                try await harness.count(
                    "SELECT count(*)::int FROM enrollment_facts WHERE enrollment_id = '\(acme.enrollmentId.uuidString.lowercased())' AND status = '\(acme.status.rawValue)'"
                ) == 1
            )
            #expect(try await harness.count("SELECT count(*)::int FROM enrollment_facts WHERE user_id = 'ghost' AND tenant_id = 'acme'") == 0)
            #expect(try await harness.count("SELECT count(*)::int FROM enrollment_facts WHERE user_id = 'ghost' AND tenant_id = 'globex'") == 1)
            #expect(try await harness.count("SELECT count(*)::int FROM dirty_reports WHERE tenant_id = 'globex'") == 0)
            for (course, _) in scenario.courses {
                let report = try await service.get("/v1/reports/courses/\(course)/summary", token: harness.admin(), as: CourseSummaryReport.self)
                #expect(Compare.summary(report, scenario.summary(course: course)), "\(course): \(report)")
            }
            // Every acme report is re-published; a page delivered again changes nothing.
            try await service.module.publisher.publishOnce()
            #expect(try await published("acme") == publishedBefore.acme + scenario.courses.count)
            #expect(try await published("globex") == publishedBefore.globex)
            #expect(try await harness.deliver(Array(pages.prefix(1)), to: service.module.resyncHandler).isEmpty)
            #expect(try await harness.count("SELECT count(*)::int FROM dirty_reports") == 0)
        }
    }

    /// Pages count only from the owner of their source and for their own tenant; a learner erased
    /// while the rebuild runs is not brought back by a page its owner read before the erasure; two
    /// requests at once start one rebuild.
    @Test func onlyTheOwnersAnswerAndAnErasureDuringTheRebuildStays() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            let harness = service.harness
            let admin = harness.admin()
            let starts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await service.http.send("POST", "/v1/reports:rebuild", token: admin).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(starts.sorted() == [202, 409, 409, 409], "one rebuild, the others told it runs")
            let rebuildId = try #require(try await harness.outbox(.resyncRequests, as: ResyncRequest.self).first?.payload.resyncId)
            let (pages, completions) = try scenario.resyncEvents(tenant: "acme", resyncId: rebuildId)

            // user-service read u1 before its erasure; the erasure reaches the reports first.
            let erasure = try CloudEvent.make(
                UserLifecycleEvent(tenantId: "acme", userId: "u1", version: 50, occurredAt: service.clock.now()),
                type: .lmsUserErased,
                source: "/lms/user-service"
            )
            #expect(try await harness.deliver([erasure], to: service.module.userHandler).isEmpty)
            let anonymous = try await harness.count("SELECT count(*)::int FROM enrollment_facts WHERE tenant_id = 'acme' AND user_id LIKE 'erased-%'")
            #expect(anonymous > 0)

            // Another service cannot answer for users; a forged page of another tenant holds nothing back.
            let usersPage = try #require(pages.first { $0.type == .resyncPage && (try? $0.decodePayload(ResyncPage.self).source) == .users })
            var forgedSource = usersPage
            forgedSource.source = "/lms/progress-service"
            let forgedTenant = try CloudEvent.make(
                ResyncPage(tenantId: "globex", resyncId: rebuildId, page: 0, items: .courses([])),
                source: "/lms/enrollment-service"
            )
            let rejected = try await harness.deliver([forgedSource], to: service.module.resyncHandler)
            #expect(rejected.map(\.errorClass) == ["wrong-source"])
            #expect(try await harness.deliver(completions + pages + [forgedTenant], to: service.module.resyncHandler).isEmpty)

            let finished = try await service.http.send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: admin)
            #expect(finished.json.string("status") == "completed", "\(finished.text)")
            #expect(
                try await harness.count("SELECT count(*)::int FROM report_users WHERE tenant_id = 'acme' AND user_id = 'u1'") == 0,
                "u1 stays erased"
            )
            #expect(try await harness.count("SELECT count(*)::int FROM enrollment_facts WHERE tenant_id = 'acme' AND user_id = 'u1'") == 0)
            #expect(
                try await harness.count("SELECT count(*)::int FROM enrollment_facts WHERE tenant_id = 'acme' AND user_id LIKE 'erased-%'")
                    == anonymous,
                "the anonymous history is kept"
            )
            #expect(
                try await harness.count("SELECT count(*)::int FROM report_rebuild_erasures") == 0,
                "the erasure marker lives only as long as the rebuild"
            )
            #expect(try await service.http.send("GET", "/v1/reports/learners/u1/transcript", token: admin).status == 404)
        }
    }
}
