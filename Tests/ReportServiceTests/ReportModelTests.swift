import Contracts
import Foundation
import PostgresNIO
import ReportService
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

@Suite("Reports from a scripted event sequence", .serialized, .hangGuard)
struct ReportModelTests {
    @Test func reportsAndTopicSnapshotsEqualIndependentCounts() async throws {
        try await ReportHarness.run { service in
            var scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            let admin = service.harness.admin()

            for (course, _) in scenario.courses {
                let report = try await service.get("/v1/reports/courses/\(course)/summary", token: admin, as: CourseSummaryReport.self)
                #expect(Compare.summary(report, scenario.summary(course: course)), "\(course): \(report) vs \(scenario.summary(course: course))")
                #expect(report.tenantId == "acme" && report.asOf == service.clock.now())
                for dimension in ComplianceDimension.allCases {
                    let list = try await service.get(
                        "/v1/reports/compliance?courseId=\(course)&groupBy=\(dimension.rawValue)", token: admin, as: ListBody<ComplianceReport>.self)
                    #expect(list.items.map(\.value) == scenario.groups(course: course, dimension: dimension), "\(course) \(dimension)")
                    for item in list.items {
                        let expected = scenario.compliance(course: course, dimension: dimension, value: item.value)
                        #expect(Compare.compliance(item, expected), "\(course) \(dimension) \(item.value): \(item) vs \(expected)")
                    }
                }
            }
            // The other tenant's learner never shows up in acme's figures, and acme's admin cannot see globex's.
            let globex = try await service.get(
                "/v1/reports/courses/safety/summary", token: service.harness.admin("globex"), as: CourseSummaryReport.self)
            #expect(globex.enrolled == 1 && globex.completionRate == 1)

            try await service.module.publisher.publishOnce()
            var problems = Compare.topics(try await service.latestSnapshots(), scenario)
            #expect(problems.isEmpty, "\(problems)")

            // A department change moves u1's counts from Sales to Engineering, on the API and the topics.
            scenario.users[0].department = "Engineering"
            scenario.users[0].version = 2
            let salesBefore = try await service.latestSnapshots().compliance["acme/safety/department/Sales"]
            #expect(try await service.harness.deliver([try scenario.userEvent(scenario.users[0])], to: service.module.userHandler).isEmpty)
            let moved = try await service.get(
                "/v1/reports/compliance?courseId=safety&groupBy=department", token: admin, as: ListBody<ComplianceReport>.self)
            let sales = try #require(moved.items.first { $0.value == "Sales" })
            let engineering = try #require(moved.items.first { $0.value == "Engineering" })
            #expect(Compare.compliance(sales, scenario.compliance(course: "safety", dimension: .department, value: "Sales")))
            #expect(Compare.compliance(engineering, scenario.compliance(course: "safety", dimension: .department, value: "Engineering")))
            #expect(sales.assigned == (salesBefore?.assigned ?? 0) - 1)
            service.clock.advance(seconds: 1)
            try await service.module.publisher.publishOnce()
            let afterMove = try await service.latestSnapshots()
            problems = Compare.topics(afterMove, scenario)
            #expect(problems.isEmpty, "\(problems)")
            #expect(afterMove.compliance["acme/safety/department/Sales"]?.assigned == sales.assigned)
            #expect(afterMove.compliance["acme/safety/department/Sales"]?.asOf == service.clock.now(), "the old group was re-published")

            // Redelivery of everything (and stale versions) changes nothing.
            let factsBefore = try await service.harness.count("SELECT count(*)::int FROM enrollment_facts")
            try await service.apply(scenario)
            #expect(
                try await service.harness.deliver(
                    [try scenario.userEvent(Scenario.User(id: "u1", department: "Sales", version: 1))], to: service.module.userHandler
                ).isEmpty)
            #expect(try await service.harness.count("SELECT count(*)::int FROM enrollment_facts") == factsBefore)
            for (course, _) in scenario.courses {
                let report = try await service.get("/v1/reports/courses/\(course)/summary", token: admin, as: CourseSummaryReport.self)
                #expect(Compare.summary(report, scenario.summary(course: course)), "after redelivery \(course): \(report)")
            }
            let again = try await service.get(
                "/v1/reports/compliance?courseId=safety&groupBy=department", token: admin, as: ListBody<ComplianceReport>.self)
            #expect(again.items.first { $0.value == "Engineering" }?.assigned == engineering.assigned)
        }
    }

    @Test func transcriptAndOverdueList() async throws {
        try await ReportHarness.run { service in
            var scenario = Scenario(now: service.clock.now())
            // An active learner without a due date and not flagged by progress: not overdue (was NULL, a 500).
            scenario.facts.append(Scenario.Fact(course: "privacy", user: "u4", status: .active, source: .manual, enrolledAt: scenario.now))
            try await service.apply(scenario)
            let admin = service.harness.admin()

            let undated = try await service.get("/v1/reports/learners/u4/transcript", token: admin, as: ListBody<TranscriptEntry>.self)
            #expect(undated.items.map(\.overdue) == [false, false])
            let transcript = try await service.get("/v1/reports/learners/u6/transcript", token: admin, as: ListBody<TranscriptEntry>.self)
            #expect(transcript.items.map(\.cycle) == [1, 2])
            #expect(transcript.items.map(\.status) == ["completed", "active"])
            #expect(transcript.items.first?.courseTitle == "Safety 101")
            #expect(transcript.items.last?.overdue == true)
            let own = try await service.get(
                "/v1/reports/learners/u1/transcript", token: service.harness.learner("u1"), as: ListBody<TranscriptEntry>.self)
            #expect(Set(own.items.map(\.courseId)) == ["safety", "privacy"])

            let expectedOverdue = scenario.facts.filter { $0.tenant == "acme" && $0.role == .learner && scenario.isOverdue($0) }
            let overdue = try await service.get("/v1/reports/overdue", token: admin, as: ListBody<OverdueEntry>.self)
            #expect(Set(overdue.items.map(\.enrollmentId)) == Set(expectedOverdue.map { $0.enrollmentId.uuidString.lowercased() }))
            for path in ["/v1/reports/learners/u6/transcript", "/v1/reports/overdue"] {
                let ids = try await service.http.send("GET", path, token: admin).json.items.compactMap { $0.string("enrollmentId") }
                #expect(!ids.isEmpty && ids.allSatisfy { $0 == $0.lowercased() }, "\(path): UUIDs in lowercase like every other service")
            }
            let sales = try await service.get("/v1/reports/overdue?courseId=safety&department=Sales", token: admin, as: ListBody<OverdueEntry>.self)
            #expect(
                Set(sales.items.map(\.userId)) == Set(expectedOverdue.filter { scenario.user("acme", $0.user)?.department == "Sales" }.map(\.user)))

            // Cursor pagination walks the same list.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/reports/overdue?limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await service.get(path, token: admin, as: ListBody<OverdueEntry>.self)
                seen += page.items.map(\.userId)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == overdue.items.map(\.userId))
        }
    }

    /// Consumers of the system's own topics recognise an applied event by its version, not by its
    /// id: a copy delivered again (a relay's republish, a replay) marks no report dirty, and an
    /// erased learner's older events do not bring the learner back under the original id.
    @Test func copiesOfAppliedUserEventsChangeNothing() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            try await service.module.publisher.publishOnce()
            #expect(try await service.harness.count("SELECT count(*)::int FROM dirty_reports") == 0)
            #expect(try await service.harness.deliver(try scenario.userEvents(), to: service.module.userHandler).isEmpty)
            #expect(try await service.harness.count("SELECT count(*)::int FROM dirty_reports") == 0, "a copy marks nothing dirty")

            let learner = try #require(scenario.users.first { $0.tenant == "acme" })
            let erasure = try CloudEvent.make(
                UserLifecycleEvent(tenantId: "acme", userId: learner.id, version: 50, occurredAt: service.clock.now()),
                type: .lmsUserErased, source: "/lms/user-service")
            #expect(try await service.harness.deliver([erasure], to: service.module.userHandler).isEmpty)
            let rows = "SELECT count(*)::int FROM report_users WHERE tenant_id = 'acme' AND user_id = '\(learner.id)'"
            #expect(try await service.harness.count(rows) == 0, "erased: the row carries a pseudonym")
            let tenantRows = try await service.harness.count("SELECT count(*)::int FROM report_users WHERE tenant_id = 'acme'")
            #expect(try await service.harness.deliver([try scenario.userEvent(learner)], to: service.module.userHandler).isEmpty)
            #expect(try await service.harness.deliver([erasure], to: service.module.userHandler).isEmpty)
            #expect(try await service.harness.count(rows) == 0, "the erased learner stays erased")
            #expect(
                try await service.harness.count("SELECT count(*)::int FROM report_users WHERE tenant_id = 'acme'") == tenantRows,
                "no row under the original id, no second pseudonym")
            #expect(
                try await service.harness.count("SELECT count(*)::int FROM enrollment_facts WHERE tenant_id = 'acme' AND user_id = '\(learner.id)'")
                    == 0)
        }
    }

    @Test func aBurstYieldsOneSnapshotPerKeyAndTheLastOneIsCurrent() async throws {
        try await ReportHarness.run { service in
            var scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            try await service.module.publisher.publishOnce()
            let before = try await service.harness.count("SELECT count(*)::int FROM outbox_copies")

            // 10,000 progress events over the safety learners, in batches as the consumer would apply them.
            let learners = scenario.facts.indices.filter {
                scenario.facts[$0].course == "safety" && scenario.facts[$0].hasProgress && scenario.facts[$0].status == .active
                    && scenario.facts[$0].tenant == "acme"
            }
            var events: [CloudEvent] = []
            for step in 0..<10_000 {
                let index = learners[step % learners.count]
                let version = Int64(2 + step / learners.count)
                let percent = Double((step * 7) % 100)
                scenario.facts[index].percent = percent
                events.append(try scenario.progressEvent(scenario.facts[index], percent: percent, version: version))
            }
            for start in stride(from: 0, to: events.count, by: 1_000) {
                #expect(try await service.harness.deliver(Array(events[start..<start + 1_000]), to: service.module.progressHandler).isEmpty)
            }
            let dirty = try await service.harness.count("SELECT count(*)::int FROM dirty_reports")
            let published = try await service.module.publisher.publishOnce()
            #expect(published == dirty)
            #expect(try await service.harness.count("SELECT count(*)::int FROM outbox_copies") - before == dirty)
            // One summary for safety, and one compliance row per group its active learners are in.
            let affected = learners.map { scenario.facts[$0].user }
            let groups = ComplianceDimension.allCases.reduce(0) { total, dimension in
                total + Set(affected.map { scenario.value(of: scenario.user("acme", $0), dimension) }).count
            }
            #expect(dirty == 1 + groups)
            let problems = Compare.topics(try await service.latestSnapshots(), scenario)
            #expect(problems.isEmpty, "\(problems)")
            #expect(try await service.module.publisher.publishOnce() == 0, "nothing left to publish")
        }
    }

    @Test func dueDatesPassingRepublishTheAffectedReports() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            try await service.module.publisher.publishOnce()
            #expect(try await service.module.publisher.publishOnce() == 0)
            // u3's safety due date (in 5 days) passes: safety's summary and u3's groups are re-published with it overdue.
            service.clock.advance(seconds: 6 * 86_400)
            var later = scenario
            later.now = service.clock.now()
            #expect(try await service.module.publisher.publishOnce() > 0)
            let latest = try await service.latestSnapshots()
            #expect(latest.summaries["acme/safety"]?.overdue == later.summary(course: "safety").overdue)
            #expect(latest.summaries["acme/safety"]?.overdue == scenario.summary(course: "safety").overdue + 1)
            #expect(
                latest.compliance["acme/safety/department/Engineering"]?.overdue
                    == later.compliance(course: "safety", dimension: .department, value: "Engineering").overdue)

            // The periodic full re-publish puts every key on the topics again.
            try await service.harness.database.client.query("DELETE FROM outbox_copies", logger: service.harness.logger)
            service.clock.advance(seconds: 31 * 86_400)
            let full = try await service.module.publisher.publishOnce()
            let everything = try await service.latestSnapshots()
            #expect(full == everything.summaries.count + everything.compliance.count)
            later.now = service.clock.now()
            #expect(Compare.topics(everything, later).isEmpty)
        }
    }

    /// An enrollment committed while its learner's department changes shows up in the new
    /// department's snapshot. The two transactions run in different consumers; unless they are
    /// serialised per learner, each sees the other's work uncommitted and neither marks the new group.
    @Test func anEnrollmentRacingItsLearnersDepartmentChangeIsPublishedUnderTheNewGroup() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            let fact = try #require(scenario.facts.first { $0.user == "u1" && $0.course == "safety" })
            let enrollment = try scenario.enrollmentEvent(fact, status: .active, completedAt: nil, version: 1)
            let user = try #require(scenario.users.first { $0.id == "u1" })
            try await service.module.publisher.publishOnce()  // the first tick's full publish is behind us
            let userEvent = try scenario.userEvent(user)
            let rejected = try await service.harness.database.whileTransactionIsOpen { connection in
                _ = try await service.module.enrollmentHandler.handle(ServiceHarness.consumed([enrollment]), on: connection)
            } meanwhile: {
                try await service.harness.deliver([userEvent], to: service.module.userHandler)
            }
            #expect(rejected.isEmpty)

            try await service.module.publisher.publishOnce()
            let sales = try await service.latestSnapshots().compliance["acme/safety/department/Sales"]
            #expect(sales?.assigned == 1, "the Sales group of the course was published with the new enrollment: \(String(describing: sales))")
        }
    }

    /// After the first tick's full publish, u1's safety enrollment arrives active (its keys are dirty);
    /// returns its completion (version 2), not yet delivered.
    private func activeEnrollmentAndItsCompletion(_ service: ReportHarness) async throws -> CloudEvent {
        let scenario = Scenario(now: service.clock.now())
        let fact = try #require(scenario.facts.first { $0.user == "u1" && $0.course == "safety" })
        try await service.module.publisher.publishOnce()
        try await service.harness.deliver(
            [try scenario.enrollmentEvent(fact, status: .active, completedAt: nil, version: 1)], to: service.module.enrollmentHandler)
        return try scenario.enrollmentEvent(fact, status: .completed, completedAt: service.clock.now(), version: 2)
    }

    /// A consumer marking a report key that is already dirty, while the publisher takes the dirty
    /// keys: the publisher must not take that key before the consumer's transaction commits
    /// (it would publish without the change and the change would never mark the key again).
    @Test func aKeyMarkedAgainWhileThePublisherRunsIsPublishedWithTheChange() async throws {
        try await ReportHarness.run { service in
            let completed = try await activeEnrollmentAndItsCompletion(service)
            try await service.harness.database.whileTransactionIsOpen { connection in
                _ = try await service.module.enrollmentHandler.handle(ServiceHarness.consumed([completed]), on: connection)
            } meanwhile: {
                try await service.module.publisher.publishOnce()  // runs while the completion is uncommitted
            }

            try await service.module.publisher.publishOnce()
            let summary = try await service.latestSnapshots().summaries["acme/safety"]
            #expect(summary?.byStatus["completed"] == 1, "the last summary of the course shows the completion: \(String(describing: summary))")
        }
    }

    /// A consumer marking a key the publisher has read commits without waiting for the publisher's
    /// transaction (it would hang here if it waited), and the key stays dirty for the next tick.
    @Test func aKeyMarkedAfterThePublisherReadItNeitherWaitsNorIsLost() async throws {
        try await ReportHarness.run { service in
            let completed = try await activeEnrollmentAndItsCompletion(service)
            let publication = PublicationRepository(logger: service.harness.logger)
            let summaryDirty = "SELECT count(*)::int FROM dirty_reports WHERE course_id = 'safety' AND dimension = 'summary'"
            try await service.harness.database.transaction { connection in
                let read = try await publication.dirtyKeys(limit: 100, on: connection)
                #expect(publication.reports(of: read).courses.contains(CourseKey(tenantId: "acme", courseId: "safety")))
                #expect(try await service.harness.deliver([completed], to: service.module.enrollmentHandler).isEmpty)
                try await publication.clear(read, on: connection)
            }
            #expect(try await service.harness.count(summaryDirty) == 1, "marked again after the read: still dirty")
            #expect(try await service.module.publisher.publishOnce() > 0)
            #expect(try await service.harness.count(summaryDirty) == 0)
            let summary = try await service.latestSnapshots().summaries["acme/safety"]
            #expect(summary?.byStatus["completed"] == 1, "the completion is published: \(String(describing: summary))")
        }
    }
}

/// The body of a list endpoint: `{items}`, with `nextCursor` when paged.
struct ListBody<Item: Decodable>: Decodable {
    var items: [Item]
    var nextCursor: String?
}
