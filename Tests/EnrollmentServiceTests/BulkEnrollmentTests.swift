import Contracts
import EnrollmentService
import Foundation
import ServicePlatform
import TestSupport
import Testing

/// The time limit only guards against a hang: the 100,000-row test shares two cores with every
/// other suite in `scripts/test` and took 290–330 s there (its speed is lms-bench's to measure).
@Suite("Bulk enrollment", .serialized, .timeLimit(.minutes(15)))
struct BulkEnrollmentTests {
    @Test func jsonAndCSVRowsGetExactResultsAndRepeatingChangesNothing() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("bulk", #""capacity":3,"waitlist":true"#)
            try await service.projectUsers(["gone"])
            _ = try await service.deliver(
                [
                    try CloudEvent.make(
                        UserLifecycleEvent(tenantId: "acme", userId: "gone", version: 2, occurredAt: service.clock.now()),
                        type: .lmsUserDeactivated,
                        source: "/tests"
                    )
                ],
                to: service.module.userHandler
            )

            let json =
                #"[{"userId":"j1"},{"userId":"j2","dueAt":"2031-01-01"},{"userId":"j1"},{"userId":""},{"userId":"j3","role":"boss"},{"userId":"gone"}]"#
            let first = try await service.http.send("POST", "/v1/courses/bulk/enrollments:bulk", token: admin, body: json)
            #expect(first.status == 200, "\(first.text)")
            let results = first.json.items.map { "\($0.int("row") ?? 0):\($0.string("userId") ?? ""):\($0.string("result") ?? "")" }
            #expect(results == ["1:j1:enrolled", "2:j2:enrolled", "3:j1:already_enrolled", "4::rejected", "5:j3:rejected", "6:gone:rejected"])
            #expect(first.json.items[3].string("reason")?.contains("userId") == true)
            #expect(first.json.items[4].string("reason")?.contains("role") == true)
            #expect(first.json.items[5].string("reason") == "learner is deactivated")
            #expect(first.json.items[1].string("enrollmentId") != nil)
            #expect(first.json["summary"]?.int("enrolled") == 2)

            let csv = "userId,role,dueAt\nc1,,\n\"c2\",learner,2031-02-01T00:00:00Z\nj1,,\nc3,,bad-date\n"
            let second = try await service.http.send("POST", "/v1/courses/bulk/enrollments:bulk", token: admin, body: csv, contentType: "text/csv")
            #expect(second.status == 200, "\(second.text)")
            #expect(second.json.items.map { $0.string("result") ?? "" } == ["enrolled", "waitlisted", "already_enrolled", "rejected"])
            let summary = second.json["summary"]
            #expect(summary?.int("total") == 4 && summary?.int("waitlisted") == 1 && summary?.int("alreadyEnrolled") == 1)

            let repeated = try await service.http.send("POST", "/v1/courses/bulk/enrollments:bulk", token: admin, body: csv, contentType: "text/csv")
            #expect(
                repeated.json.items.map { $0.string("result") ?? "" } == ["already_enrolled", "already_enrolled", "already_enrolled", "rejected"]
            )
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'bulk'") == 4)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE source = 'import'") == 4)

            let noHeader = try await service.http.send(
                "POST",
                "/v1/courses/bulk/enrollments:bulk",
                token: admin,
                body: "a\nb\n",
                contentType: "text/csv"
            )
            #expect(noHeader.status == 422)
            let unknownCourse = try await service.http.send("POST", "/v1/courses/nope/enrollments:bulk", token: admin, body: "[]")
            #expect(unknownCourse.status == 404)
            #expect(try await service.http.send("POST", "/v1/courses/bulk/enrollments:bulk", token: service.learner("x"), body: "[]").status == 403)
        }
    }

    @Test func csvOfOneHundredThousandRows() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("big")
            let rows = 100_000
            var csv = "userId\n"
            csv.reserveCapacity(rows * 12)
            for index in 0..<rows { csv += "learner-\(index)\n" }
            let started = ContinuousClock.now
            let answer = try await service.http.send(
                "POST",
                "/v1/courses/big/enrollments:bulk",
                token: service.admin(),
                body: csv,
                contentType: "text/csv"
            )
            let elapsed = ContinuousClock.now - started
            #expect(answer.status == 200)
            let items = answer.json.items
            #expect(items.count == rows)
            #expect(items.allSatisfy { $0.string("result") == "enrolled" })
            #expect(items.map { $0.int("row") ?? 0 } == Array(1...rows), "every row once, in order")
            #expect(items.last?.string("userId") == "learner-\(rows - 1)")
            #expect(answer.json["summary"]?.int("enrolled") == rows)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'big'") == rows)
            #expect(try await service.count("SELECT count(*)::int FROM enrollment_transitions") == rows)
            #expect(try await service.count("SELECT count(*)::int FROM outbox_copies WHERE event_type = 'lms.enrollment.created'") == rows)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("bulk CSV: \(rows) rows in \(String(format: "%.2f", seconds)) s (\(Int(Double(rows) / seconds)) rows/s)")
        }
    }
}
