import Contracts
import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

@Suite("CSV exports", .serialized, .hangGuard)
struct CSVExportTests {
    @Test func everyReportParsesWithAStandardCSVReaderAndMatchesItsJSON() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            let admin = service.harness.admin()

            // Course summary via ?format=csv.
            let summaryCSV = try await service.http.send("GET", "/v1/reports/courses/safety/summary?format=csv", token: admin)
            #expect(summaryCSV.status == 200)
            #expect(summaryCSV.header("Content-Type")?.hasPrefix("text/csv") == true)
            let unknownFormat = try await service.http.send("GET", "/v1/reports/courses/safety/summary?format=xml", token: admin)
            #expect(unknownFormat.status == 400, "an unknown format is refused, not answered with JSON")
            #expect(unknownFormat.json["errors"]?.arrayValue?.first?.string("field") == "format")
            let badPaging = try await service.http.send("GET", "/v1/reports/overdue?format=csv&limit=1&limit=2", token: admin)
            #expect(badPaging.status == 400, "paging parameters are checked for CSV too (found by schemathesis)")
            let summaryRows = try await Subprocess.parseCSV(summaryCSV.text)
            #expect(summaryRows.count == 2)
            let summary = Dictionary(uniqueKeysWithValues: zip(summaryRows[0], summaryRows[1]))
            let expected = scenario.summary(course: "safety")
            #expect(summary["enrolled"] == String(expected.enrolled))
            #expect(summary["byStatus.active"] == String(expected.byStatus["active"] ?? -1))
            #expect(summary["bySource.rule"] == String(expected.bySource["rule"] ?? -1))
            #expect(summary["overdue"] == String(expected.overdue))
            #expect(Double(summary["completionRate"] ?? "").map { Compare.close($0, expected.completionRate) } == true)

            // Compliance via Accept: text/csv, the same rows as the JSON.
            let complianceCSV = try await service.http.send(
                "GET", "/v1/reports/compliance?courseId=safety&groupBy=location", token: admin, headers: ["Accept": "text/csv"])
            let complianceRows = try await Subprocess.parseCSV(complianceCSV.text)
            let json = try await service.get(
                "/v1/reports/compliance?courseId=safety&groupBy=location", token: admin, as: ListBody<ComplianceReport>.self)
            #expect(
                complianceRows.first == [
                    "tenantId", "courseId", "dimension", "value", "asOf", "assigned", "completed", "overdue", "complianceRate", "version",
                ])
            #expect(
                complianceRows.dropFirst().map { [$0[3], $0[5], $0[6], $0[7]] }
                    == json.items.map { [$0.value, String($0.assigned), String($0.completed), String($0.overdue)] })

            // A transcript with a course title full of CSV and HTML specials survives the round trip.
            let transcriptCSV = try await service.http.send("GET", "/v1/reports/learners/u1/transcript?format=csv", token: admin)
            let transcriptRows = try await Subprocess.parseCSV(transcriptCSV.text)
            #expect(transcriptRows.count == 3)
            #expect(transcriptRows.contains { $0.contains("Privacy <basics> & more") })

            // The overdue list streams every row (no paging in CSV).
            let overdueCSV = try await service.http.send("GET", "/v1/reports/overdue?format=csv", token: admin)
            let overdueRows = try await Subprocess.parseCSV(overdueCSV.text)
            let expectedOverdue = scenario.facts.filter { $0.tenant == "acme" && $0.role == .learner && scenario.isOverdue($0) }
            #expect(overdueRows.count == expectedOverdue.count + 1)
            #expect(Set(overdueRows.dropFirst().map { $0[0] }) == Set(expectedOverdue.map { $0.enrollmentId.uuidString.lowercased() }))
        }
    }

    @Test func largeOverdueListsStream() async throws {
        try await ReportHarness.run { service in
            // 5,000 overdue enrollments with awkward user ids.
            let now = service.clock.now()
            var events: [CloudEvent] = []
            for index in 0..<5_000 {
                let fact = Scenario.Fact(
                    course: "bulk", user: "user,\(index) \"q\"", status: .active, source: .import, enrolledAt: now.addingTimeInterval(-86_400 * 10),
                    dueAt: now.addingTimeInterval(-86_400))
                events.append(try Scenario(now: now).enrollmentEvent(fact, status: .active, completedAt: nil, version: 1))
            }
            #expect(try await service.harness.deliver(events, to: service.module.enrollmentHandler).isEmpty)
            let answer = try await service.http.send(
                "GET", "/v1/reports/overdue?courseId=bulk", token: service.harness.admin(), headers: ["Accept": "text/csv"])
            #expect(answer.status == 200)
            let rows = try await Subprocess.parseCSV(answer.text)
            #expect(rows.count == 5_001)
            #expect(Set(rows.dropFirst().map { $0[2] }).count == 5_000)
            #expect(rows.dropFirst().allSatisfy { $0[2].hasPrefix("user,") && $0[2].hasSuffix("\"q\"") })
        }
    }
}
