import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// A report rebuild through the real processes: tenant acme's service token rebuilds acme's reports
/// from what user-, enrollment- and progress-service re-announce, and nothing of tenant globex is
/// re-announced, rewritten or readable by it.
@Suite("Reliability: tenant-scoped report rebuilds", .serialized, .timeLimit(.minutes(10)))
struct ReportRebuildSecurityTests {
    @Test func aTenantsServiceTokenCannotChangeAnotherTenantsReports() async throws {
        try await LocalStack.run { stack in
            for tenant in ["acme", "globex"] {
                let load = FaultLoad(stack: stack, tenant: tenant)
                try await load.importUsers(4)
                try await load.call(.enrollmentService, "PUT", "/v1/courses/safety", body: #"{"title":"Safety","modules":["a"]}"#)
                try await load.call(
                    .enrollmentService,
                    "POST",
                    "/v1/courses/safety/enrollments:bulk",
                    body: "userId\nu0\nu1\nu2\nu3",
                    contentType: "text/csv"
                )
            }
            @Sendable func summary(_ tenant: String) async throws -> JSONValue {
                try await stack.http(.reportService).send("GET", "/v1/reports/courses/safety/summary", token: stack.admin(tenant)).json
            }
            for tenant in ["acme", "globex"] {
                let ready = try await eventually(timeout: .seconds(120)) { try await summary(tenant).int("enrolled") == 4 }
                let seen = try await summary(tenant)
                #expect(ready, "\(tenant)'s reports before the rebuild: \(seen)")
            }
            // acme's u3 is erased: the rebuild must neither bring the person back nor lose the anonymous history.
            try await FaultLoad(stack: stack, tenant: "acme").call(.userService, "DELETE", "/v1/users/u3", expecting: [204])
            let anonymized = try await eventually(timeout: .seconds(120)) {
                let reports = try await stack.count(
                    "SELECT count(*) FROM reports.enrollment_facts WHERE tenant_id = 'acme' AND user_id LIKE 'erased-%'"
                )
                let progress = try await stack.count(
                    "SELECT count(*) FROM progress.enrollment_progress WHERE tenant_id = 'acme' AND user_id LIKE 'erased-%'"
                )
                return reports == 1 && progress == 1
            }
            #expect(anonymized, "the erasure reached report- and progress-service")
            let since = try #require(
                try await stack.value("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
            )

            let acmeService = stack.token("ops", tenant: "acme", roles: [.service], scopes: [.reportsRebuild])
            let unscoped = stack.token("ops", tenant: "acme", roles: [.service])
            #expect(try await stack.http(.reportService).send("POST", "/v1/reports:rebuild", token: unscoped).status == 403)
            let started = try await stack.http(.reportService).send("POST", "/v1/reports:rebuild", token: acmeService)
            #expect(started.status == 202, "\(started.text)")
            let rebuildId = try #require(started.json.string("rebuildId"))
            let globexService = stack.token("ops", tenant: "globex", roles: [.service], scopes: [.reportsRebuild])
            #expect(try await stack.http(.reportService).send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: globexService).status == 404)

            let completed = try await eventually(timeout: .seconds(120)) {
                try await stack.http(.reportService).send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: acmeService).json.string("status")
                    == "completed"
            }
            let status = try await stack.http(.reportService).send("GET", "/v1/reports/rebuilds/\(rebuildId)", token: acmeService)
            #expect(completed, "\(status.text)")
            // Every source answered for acme: 3 users (not the erased one), 1 course, 4 enrollments and
            // 4 progress records (the erased learner's under a pseudonym).
            let items = Dictionary(
                uniqueKeysWithValues: (status.json["sources"]?.arrayValue ?? []).compactMap { source in
                    source.string("source").map { ($0, source.int("itemsApplied") ?? -1) }
                }
            )
            #expect(items == ["users": 3, "courses": 1, "enrollments": 4, "progress": 4], "\(status.text)")
            #expect(try await stack.count("SELECT count(*) FROM reports.enrollment_facts WHERE tenant_id = 'acme' AND user_id = 'u3'") == 0)
            #expect(try await stack.count("SELECT count(*) FROM reports.report_users WHERE tenant_id = 'acme' AND user_id = 'u3'") == 0)
            #expect(try await stack.count("SELECT count(*) FROM reports.enrollment_facts WHERE tenant_id = 'acme' AND user_id LIKE 'erased-%'") == 1)
            // acme's rows were re-confirmed by the owners' answer; not one row of globex was touched.
            #expect(
                try await stack.count("SELECT count(*) FROM reports.enrollment_facts WHERE tenant_id = 'acme' AND confirmed_at > '\(since)'") == 4
            )
            #expect(
                try await stack.count("SELECT count(*) FROM reports.enrollment_facts WHERE tenant_id = 'globex' AND confirmed_at > '\(since)'") == 0
            )
            #expect(try await stack.count("SELECT count(*) FROM reports.report_users WHERE tenant_id = 'globex' AND confirmed_at > '\(since)'") == 0)
            #expect(try await stack.count("SELECT count(*) FROM reports.report_rebuilds WHERE tenant_id = 'globex'") == 0)
            #expect(try await summary("acme").int("enrolled") == 4)
            #expect(try await summary("globex").int("enrolled") == 4)
        }
    }
}
