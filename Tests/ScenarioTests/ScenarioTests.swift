import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// The system as the platform and admins meet it: the five services and the development broker as
/// separate processes, driven only through HTTP and Kafka.
@Suite("Scenarios (separate processes)", .serialized, .timeLimit(.minutes(10)))
struct ScenarioTests {
    /// (1) Every new hire lands in orientation: a `platform.user.created` event for a recent hire →
    /// the rule enrolls them → learning activity → completion, seen by every service.
    @Test func newHireIsEnrolledInOrientationAndCompletesIt() async throws {
        try await LocalStack.run { stack in
            let s = Scenario(stack: stack, tenant: "acme")
            try await s.call(
                .enrollmentService, "PUT", "/v1/courses/orientation",
                body: #"{"title":"Orientation","modules":["welcome","policies"],"defaultDueDays":14}"#)
            let rule = try await s.call(
                .rulesWorker, "POST", "/v1/rules",
                body: """
                    {"name":"New hires","courseIds":["orientation"],"backfill":true,"onUnmatch":"keep",
                     "criteria":{"all":[{"field":"hireDate","op":"withinLastDays","value":30}]}}
                    """
            ).json
            let ruleId = try #require(rule.string("ruleId"))
            try await s.call(.rulesWorker, "POST", "/v1/rules/\(ruleId):activate")

            let recent = CalendarDate(Date().addingTimeInterval(-3 * 86_400)).description
            let old = CalendarDate(Date().addingTimeInterval(-400 * 86_400)).description
            try await stack.publish([
                try s.events.userCreated("new-hire", department: "Sales", hireDate: recent),
                try s.events.userCreated("veteran", department: "Sales", hireDate: old),
            ])
            let enrollments = try await s.waitFor(.enrollmentService, "/v1/users/new-hire/enrollments", "the rule enrolled the new hire") {
                $0.items.contains { $0.string("courseId") == "orientation" }
            }
            let enrollment = try #require(enrollments.items.first)
            #expect(enrollment.string("source") == "rule")
            #expect(enrollment.string("status") == "active")
            #expect(enrollment["dueAt"] != nil, "due date from the course")
            let enrollmentId = try #require(enrollment.string("enrollmentId"))

            try await s.waitFor(.progressService, "/v1/enrollments/\(enrollmentId)/progress", "progress-service knows the enrollment") {
                $0.string("status") == "not_started"
            }
            try await stack.publish([
                try s.events.activity("new-hire", course: "orientation", module: "welcome", .completed),
                try s.events.activity("new-hire", course: "orientation", module: "policies", .passed, score: 92),
            ])
            try await s.waitFor(.progressService, "/v1/enrollments/\(enrollmentId)/progress", "progress completed") {
                $0.string("status") == "completed" && $0.double("percent") == 100
            }
            try await s.waitFor(.enrollmentService, "/v1/enrollments/\(enrollmentId)", "enrollment-service completed the enrollment") {
                $0.string("status") == "completed"
            }
            let veteran = try await s.call(.enrollmentService, "GET", "/v1/users/veteran/enrollments").json
            #expect(veteran.items.isEmpty, "a hire from last year does not match")

            // Reports: the admin API and the analysts' compacted topics count the completion.
            try await s.waitFor(.reportService, "/v1/reports/courses/orientation/summary", "the course summary counts the completion") {
                $0.int("enrolled") == 1 && $0["byStatus"]?.int("completed") == 1 && $0.double("completionRate") == 1
            }
            let snapshots = try await stack.events(on: [.courseSummaryReports, .complianceReports], timeout: .seconds(90)) { events in
                events.contains(where: Self.orientationSummaryCompleted) && events.contains(where: Self.salesComplianceCompleted)
            }
            #expect(snapshots.contains { $0.type == .courseSummaryReport && $0.kafkaKey == "acme/orientation" }, "keyed tenant/courseId")
            #expect(snapshots.contains { $0.type == .complianceReport && $0.kafkaKey == "acme/orientation/department/Sales" })
        }
    }

    /// (2) Self-enrollment with a key and a required profile field; over capacity into the
    /// waitlist; promotion after a withdrawal.
    @Test func selfEnrollmentWithKeyWaitlistAndPromotion() async throws {
        try await LocalStack.run { stack in
            let s = Scenario(stack: stack, tenant: "globex")
            try await s.call(
                .enrollmentService, "PUT", "/v1/courses/forklift",
                body: """
                    {"title":"Forklift license","capacity":1,"waitlist":true,"modules":["theory"],
                     "selfEnrollment":{"enabled":true,"requiredProfileFields":["department"]}}
                    """)
            let key = try #require(
                try await s.call(.enrollmentService, "POST", "/v1/courses/forklift/enrollment-keys", body: #"{"label":"warehouse"}"#).json.string(
                    "key"))
            for user in ["ann", "bob"] {
                try await s.call(
                    .userService, "POST", "/v1/users",
                    body: #"{"userId":"\#(user)","email":"\#(user)@globex.example","givenName":"\#(user)","familyName":"Doe"}"#)
            }
            let ann = stack.token("ann", tenant: "globex", roles: [.learner])
            let bob = stack.token("bob", tenant: "globex", roles: [.learner])
            // enrollment-service learns both from lms.users.v1, each in its own time (bob's event
            // may come in a later batch than ann's): wait for both before either self-enrolls.
            let known = try await eventually(timeout: .seconds(60)) {
                (try? await stack.count("SELECT count(*)::int FROM enrollments.users WHERE tenant_id = 'globex' AND user_id IN ('ann', 'bob')")) == 2
            }
            #expect(known, "enrollment-service knows ann and bob")
            // enrollment-service learns the users from lms.users.v1; until then a self-enrollment
            // may be refused as unknown, so try until the profile check is what answers.
            var incomplete = try await stack.http(.enrollmentService).send(
                "POST", "/v1/self-enrollments", token: ann, body: #"{"courseId":"forklift","key":"\#(key)"}"#)
            for _ in 0..<120 where incomplete.status != 422 {
                try await Task.sleep(for: .milliseconds(500))
                incomplete = try await stack.http(.enrollmentService).send(
                    "POST", "/v1/self-enrollments", token: ann, body: #"{"courseId":"forklift","key":"\#(key)"}"#)
            }
            #expect(incomplete.status == 422, "the department is required: \(incomplete.text)")
            #expect(incomplete.json["errors"]?.arrayValue?.contains { $0.string("field")?.contains("department") == true } == true)

            let wrongKey = try await stack.http(.enrollmentService).send(
                "POST", "/v1/self-enrollments", token: ann, body: #"{"courseId":"forklift","key":"WRONG-KEY","profile":{"department":"Ops"}}"#)
            #expect([403, 404, 422].contains(wrongKey.status), "a wrong key enrolls nobody: \(wrongKey.status)")

            let annEnrolled = try await s.call(
                .enrollmentService, "POST", "/v1/self-enrollments",
                body: """
                    {"courseId":"forklift","key":"\(key)","profile":{"department":"Warehouse"}}
                    """, token: ann
            ).json
            #expect(annEnrolled.string("status") == "active")
            let bobEnrolled = try await s.call(
                .enrollmentService, "POST", "/v1/self-enrollments",
                body: """
                    {"courseId":"forklift","key":"\(key)","profile":{"department":"Warehouse"}}
                    """, token: bob
            ).json
            #expect(bobEnrolled.string("status") == "waitlisted", "the one seat is taken")

            let annId = try #require(annEnrolled.string("enrollmentId"))
            let bobId = try #require(bobEnrolled.string("enrollmentId"))
            try await s.call(.enrollmentService, "POST", "/v1/enrollments/\(annId):withdraw", body: #"{"reason":"changed shifts"}"#)
            try await s.waitFor(.enrollmentService, "/v1/enrollments/\(bobId)", "bob is promoted") { $0.string("status") == "active" }

            // The promotion reaches progress-service, where bob's record is open now.
            try await stack.publish([try s.events.activity("bob", course: "forklift", module: "theory", .completed)])
            try await s.waitFor(.progressService, "/v1/enrollments/\(bobId)/progress", "bob's progress counts") {
                $0.string("status") == "completed"
            }
        }
    }

    /// (3) A 10,000-row CSV enrolls 10,000 learners; every service ends up with all of them.
    @Test func bulkCSVOfTenThousandLearners() async throws {
        try await LocalStack.run { stack in
            let s = Scenario(stack: stack, tenant: "initech")
            try await s.call(
                .enrollmentService, "PUT", "/v1/courses/compliance-2026", body: #"{"title":"Compliance 2026","modules":["m1"],"defaultDueDays":30}"#)
            let csv = "userId,role\n" + (0..<10_000).map { "learner-\($0),learner" }.joined(separator: "\n") + "\n"
            let result = try await s.call(
                .enrollmentService, "POST", "/v1/courses/compliance-2026/enrollments:bulk", body: csv, contentType: "text/csv"
            ).json
            #expect(result["summary"]?.int("enrolled") == 10_000 || result.int("enrolled") == 10_000, "\(String(describing: result).prefix(300))")

            try await s.waitFor(
                .progressService, "/v1/courses/compliance-2026/progress?limit=1000", timeout: .seconds(180), "progress-service has the learners"
            ) { $0.items.count == 1000 }
            #expect(
                try await eventually(timeout: .seconds(180)) {
                    try await stack.count("SELECT count(*)::int FROM progress.enrollment_progress WHERE course_id = 'compliance-2026'") == 10_000
                })
            // Nothing duplicated anywhere.
            #expect(try await stack.count("SELECT count(*)::int FROM enrollments.enrollments WHERE course_id = 'compliance-2026'") == 10_000)
            try await s.waitFor(.reportService, "/v1/reports/courses/compliance-2026/summary", timeout: .seconds(180), "reports count every learner")
            {
                $0.int("enrolled") == 10_000 && $0["byStatus"]?.int("active") == 10_000
            }
            let snapshots = try await stack.events(on: [.courseSummaryReports], timeout: .seconds(120)) { events in
                events.contains { (try? $0.decodePayload(CourseSummaryReport.self))?.enrolled == 10_000 }
            }
            let summaries = snapshots.compactMap { try? $0.decodePayload(CourseSummaryReport.self) }.filter { $0.courseId == "compliance-2026" }
            #expect(summaries.last?.enrolled == 10_000, "the latest snapshot is complete")
            #expect(summaries.count < 100, "coalesced: \(summaries.count) snapshots for 10,000 enrollments")
        }
    }

    /// (4) A department change withdraws the learner per the rule's policy.
    @Test func departmentChangeWithdrawsPerRulePolicy() async throws {
        try await LocalStack.run { stack in
            let s = Scenario(stack: stack, tenant: "umbrella")
            try await s.call(.enrollmentService, "PUT", "/v1/courses/sales-101", body: #"{"title":"Sales 101","modules":["pitch"]}"#)
            try await stack.publish([
                try s.events.userCreated("sam", department: "Sales", location: "Berlin"),
                try s.events.userCreated("sue", department: "Sales", location: "Paris"),
            ])
            try await s.waitFor(.userService, "/v1/users?department=Sales", "user-service has both") { $0.items.count == 2 }
            let rule = try await s.call(
                .rulesWorker, "POST", "/v1/rules",
                body: """
                    {"name":"Sales onboarding","courseIds":["sales-101"],"backfill":true,"onUnmatch":"withdraw",
                     "criteria":{"all":[{"field":"department","op":"eq","value":"Sales"}]}}
                    """
            ).json
            let ruleId = try #require(rule.string("ruleId"))
            try await s.call(.rulesWorker, "POST", "/v1/rules/\(ruleId):activate")
            let listed = try await s.waitFor(.enrollmentService, "/v1/courses/sales-101/enrollments?status=active", "backfill enrolled both") {
                $0.items.count == 2
            }
            #expect(Set(listed.items.compactMap { $0.string("userId") }) == ["sam", "sue"])
            try await s.waitFor(.reportService, "/v1/reports/compliance?courseId=sales-101&groupBy=department", "Sales has both") {
                $0.items.first { $0.string("value") == "Sales" }?.int("assigned") == 2
            }

            try await stack.publish([try s.events.userChanged("sam", ["department": .string("Marketing")])])
            let sam = try await s.waitFor(.enrollmentService, "/v1/users/sam/enrollments", "sam is withdrawn") {
                $0.items.first?.string("status") == "withdrawn"
            }
            #expect(sam.items.count == 1)
            let sue = try await s.call(.enrollmentService, "GET", "/v1/users/sue/enrollments").json
            #expect(sue.items.first?.string("status") == "active", "sue still matches")
            // The reports move: Sales keeps sue only; sam's withdrawn enrollment is assigned nowhere.
            // (Between the department change and the withdrawal, sam briefly counts for Marketing.)
            try await s.waitFor(
                .reportService, "/v1/reports/compliance?courseId=sales-101&groupBy=department", "Sales lost sam, Marketing did not gain him"
            ) {
                $0.items.first { $0.string("value") == "Sales" }?.int("assigned") == 1
                    && $0.items.filter { $0.string("value") == "Marketing" }.allSatisfy { $0.int("assigned") == 0 }
            }
            let moved = try await stack.events(on: [.complianceReports], timeout: .seconds(60)) { events in
                events.contains { (try? $0.decodePayload(ComplianceReport.self)).map { $0.value == "Sales" && $0.assigned == 1 } == true }
            }
            #expect(
                moved.contains {
                    (try? $0.decodePayload(ComplianceReport.self)).map { $0.courseId == "sales-101" && $0.value == "Sales" && $0.assigned == 1 }
                        == true
                })
        }
    }

    /// (5) Deactivation suspends, reactivation restores, erasure withdraws and wipes — in every service.
    @Test func deactivationAndErasureRippleThroughEveryService() async throws {
        try await LocalStack.run { stack in
            let s = Scenario(stack: stack, tenant: "hooli")
            try await s.call(.enrollmentService, "PUT", "/v1/courses/ethics", body: #"{"title":"Ethics","modules":["a","b"]}"#)
            try await stack.publish([try s.events.userCreated("gavin", department: "Exec")])
            try await s.waitFor(.userService, "/v1/users/gavin", "user-service has gavin") { $0.string("status") == "active" }
            let enrolled = try await s.call(.enrollmentService, "POST", "/v1/courses/ethics/enrollments", body: #"{"userId":"gavin"}"#).json
            let id = try #require(enrolled.string("enrollmentId"))
            try await stack.publish([try s.events.activity("gavin", course: "ethics", module: "a", .completed)])
            try await s.waitFor(.progressService, "/v1/enrollments/\(id)/progress", "progress at 50%") { $0.double("percent") == 50 }

            try await stack.publish([try s.events.userLifecycle(.userDeactivated, "gavin", reason: "left")])
            try await s.waitFor(.enrollmentService, "/v1/enrollments/\(id)", "suspended") { $0.string("status") == "suspended" }
            try await stack.publish([try s.events.userLifecycle(.userReactivated, "gavin")])
            try await s.waitFor(.enrollmentService, "/v1/enrollments/\(id)", "restored") { $0.string("status") == "active" }

            try await stack.publish([try s.events.userLifecycle(.userErased, "gavin")])
            try await s.waitFor(.userService, "/v1/users/gavin", "user-service erased the profile") { $0.string("status") == "erased" }
            try await s.waitFor(.enrollmentService, "/v1/enrollments/\(id)", "withdrawn") { $0.string("status") == "withdrawn" }
            try await s.waitFor(.progressService, "/v1/users/gavin/progress", "progress no longer links to gavin") { $0.items.isEmpty }
            let course = try await s.call(.progressService, "GET", "/v1/courses/ethics/progress").json
            #expect(course.items.first?.string("userId")?.hasPrefix("erased-") == true, "the record stays, pseudonymous")
            let transcriptGone = try await eventually(timeout: .seconds(90)) {
                let answer = try await stack.http(.reportService).send("GET", "/v1/reports/learners/gavin/transcript", token: s.admin)
                return answer.status == 404 || (answer.status == 200 && answer.json.items.isEmpty)
            }
            #expect(transcriptGone, "report-service no longer links anything to gavin")
            try await s.waitFor(.reportService, "/v1/reports/courses/ethics/summary", "the course still counts the enrollment") {
                $0.int("enrolled") == 1 && $0["byStatus"]?.int("withdrawn") == 1
            }
            let profile = try await s.call(.userService, "GET", "/v1/users/gavin").json
            #expect(profile.string("email") == nil || profile.string("email")?.contains("gavin") == false, "no personal data left")
        }
    }

    @Sendable static func orientationSummaryCompleted(_ event: CloudEvent) -> Bool {
        guard let summary = try? event.decodePayload(CourseSummaryReport.self) else { return false }
        return summary.courseId == "orientation" && summary.byStatus["completed"] == 1
    }

    @Sendable static func salesComplianceCompleted(_ event: CloudEvent) -> Bool {
        guard let row = try? event.decodePayload(ComplianceReport.self) else { return false }
        return row.courseId == "orientation" && row.dimension == .department && row.value == "Sales" && row.completed == 1
            && row.complianceRate == 1
    }
}
