import Contracts
import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

@Suite("Dashboard in headless Chromium", .serialized, .hangGuard)
struct DashboardTests {
    /// Loads `/dashboard` in Debian's `chromium` against live data and checks the numbers it shows
    /// against counts computed from the scenario. Fails (never skips) when chromium is missing.
    @Test func showsTheLiveNumbers() async throws {
        let chromium = try #require(Subprocess.which("chromium"), "chromium is not installed (scripts/setup installs it)")
        try await ReportHarness.run { service in
            var scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            // A later change is visible at once (no cache, no coalescing delay on the page).
            scenario.users[0].department = "Engineering"
            scenario.users[0].version = 2
            #expect(try await service.harness.deliver([try scenario.userEvent(scenario.users[0])], to: service.module.userHandler).isEmpty)

            let url = "\(service.http.base)/dashboard?token=\(service.harness.admin())"
            let result = try await Subprocess.run(
                chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--dump-dom", url])
            #expect(result.status == 0, "\(result.error.suffix(2000))")
            let dom = result.output
            #expect(dom.contains("<svg"), "\(dom.prefix(500))")
            #expect(dom.contains("Completion by course") && dom.contains("Compliance by department") && dom.contains("Overdue trend"))
            #expect(!dom.contains("http://") || !dom.contains("<script"), "no scripts")

            func cell(_ attribute: String, _ key: String, _ field: String) -> String? {
                let marker = "\(attribute)=\"\(key)\" data-field=\"\(field)\">"
                guard let start = dom.range(of: marker) else { return nil }
                return String(dom[start.upperBound...].prefix { $0 != "<" })
            }
            func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

            var enrolled = 0
            var completed = 0
            var overdue = 0
            for (course, _) in scenario.courses {
                let expected = scenario.summary(course: course)
                #expect(cell("data-course", course, "completionRate") == percent(expected.completionRate), "\(course)")
                #expect(cell("data-course", course, "enrolled") == String(expected.enrolled))
                #expect(cell("data-course", course, "completed") == String(expected.byStatus["completed"] ?? 0))
                #expect(cell("data-course", course, "overdue") == String(expected.overdue))
                enrolled += expected.enrolled
                completed += expected.byStatus["completed"] ?? 0
                overdue += expected.overdue
            }
            #expect(dom.contains("data-total=\"enrolled\">\(enrolled)<"))
            #expect(dom.contains("data-total=\"completed\">\(completed)<"))
            #expect(dom.contains("data-total=\"overdue\">\(overdue)<"))

            // Compliance by department across both courses, each learner's latest cycle per course.
            var departments: [String: (assigned: Int, completed: Int)] = [:]
            for (course, _) in scenario.courses {
                for fact in scenario.latest(tenant: "acme", course: course) {
                    let department = scenario.user("acme", fact.user)?.department ?? ""
                    var row = departments[department] ?? (0, 0)
                    if fact.status != .withdrawn { row.assigned += 1 }
                    if fact.status == .completed { row.completed += 1 }
                    departments[department] = row
                }
            }
            #expect(departments["Sales"] != nil && departments["Engineering"] != nil)
            for (department, row) in departments {
                #expect(cell("data-department", department, "assigned") == String(row.assigned), "\(department)")
                #expect(cell("data-department", department, "completed") == String(row.completed), "\(department)")
                #expect(
                    cell("data-department", department, "complianceRate")
                        == percent(row.assigned == 0 ? 0 : Double(row.completed) / Double(row.assigned)))
            }
            // The overdue trend ends today with today's overdue count (active, suspended or late-completed ones due before now).
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            let today = formatter.string(from: scenario.now)
            let dueAndOpen = scenario.facts.filter { fact in
                fact.tenant == "acme" && fact.role == .learner && [.active, .suspended, .completed].contains(fact.status)
                    && (fact.dueAt.map { $0 < scenario.now } ?? false) && (fact.completedAt.map { $0 > scenario.now } ?? (fact.status != .completed))
            }
            #expect(cell("data-day", today, "overdue") == String(dueAndOpen.count))
            #expect(dom.contains("role=\"img\"") && dom.contains("<title id=\"completion-title\">"))
            #expect(dom.contains("Privacy &lt;basics&gt; &amp; more"), "titles are escaped")

            // Without a token, or as a learner, the page is refused.
            #expect(try await service.http.send("GET", "/dashboard").status == 401)
            #expect(try await service.http.send("GET", "/dashboard?token=\(service.harness.learner("u1"))").status == 403)
        }
    }
}
