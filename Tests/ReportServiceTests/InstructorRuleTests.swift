import Contracts
import Foundation
import ReportService
import ServiceHTTP
import TestSupport
import Testing

/// report-service applies the instructor rule of enrollment- and progress-service (security review
/// L10): only an active instructor enrollment opens a course's reports. Instructors get 403 for every
/// course they do not teach, known or not, so the answer does not reveal which course ids exist (I1).
@Suite("Report access: the instructor rule", .serialized, .hangGuard)
struct InstructorRuleTests {
    static let courseReports = [
        "/v1/reports/courses/safety/summary", "/v1/reports/compliance?courseId=safety", "/v1/reports/overdue?courseId=safety",
    ]

    @Test func onlyAnActiveInstructorEnrollmentOpensTheReports() async throws {
        try await ReportHarness.run { service in
            let scenario = Scenario(now: service.clock.now())
            try await service.apply(scenario)
            let day = { (offset: Double) in scenario.now.addingTimeInterval(offset * 86_400) }
            let suspended = Scenario.Fact(course: "safety", user: "i2", role: .instructor, status: .suspended, source: .manual, enrolledAt: day(-5))
            let waitlisted = Scenario.Fact(course: "safety", user: "i3", role: .instructor, status: .waitlisted, source: .manual, enrolledAt: day(-5))
            let completed = Scenario.Fact(course: "safety", user: "i4", role: .instructor, status: .completed, source: .manual, enrolledAt: day(-5))
            let created =
                try [suspended, completed].map { try scenario.enrollmentEvent($0, status: .active, completedAt: nil, version: 1) }
                + [try scenario.enrollmentEvent(waitlisted, status: .waitlisted, completedAt: nil, version: 1)]
            #expect(try await service.harness.deliver(created, to: service.module.enrollmentHandler).isEmpty)
            let i2 = service.harness.token("i2", roles: [.instructor])
            for path in Self.courseReports {
                #expect(try await service.http.send("GET", path, token: i2).status == 200, "active instructor: \(path)")
            }

            let changed = try [
                scenario.enrollmentEvent(suspended, status: .suspended, completedAt: nil, version: 2),
                scenario.enrollmentEvent(completed, status: .completed, completedAt: day(-1), version: 2),
            ]
            #expect(try await service.harness.deliver(changed, to: service.module.enrollmentHandler).isEmpty)
            for user in ["i2", "i3", "i4"] {
                let token = service.harness.token(user, roles: [.instructor])
                for path in Self.courseReports {
                    let answer = try await service.http.send("GET", path, token: token)
                    #expect(answer.status == 403, "\(user) \(path): \(answer.text)")
                    #expect(answer.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                }
            }
            // The active instructor of the scenario still reads them.
            #expect(
                try await service.http.send("GET", "/v1/reports/courses/safety/summary", token: service.harness.token("i1", roles: [.instructor]))
                    .status == 200
            )
        }
    }

    @Test func instructorsCannotTellKnownFromUnknownCourses() async throws {
        try await ReportHarness.run { service in
            try await service.apply(Scenario(now: service.clock.now()))
            let instructor = service.harness.token("i1", roles: [.instructor])
            let known = try await service.http.send("GET", "/v1/reports/courses/privacy/summary", token: instructor)
            let unknown = try await service.http.send("GET", "/v1/reports/courses/no-such-course/summary", token: instructor)
            #expect(known.status == 403 && unknown.status == 403)
            #expect(known.json.string("detail") == unknown.json.string("detail"))
            // Admins still learn that a course does not exist.
            #expect(try await service.http.send("GET", "/v1/reports/courses/no-such-course/summary", token: service.harness.admin()).status == 404)
        }
    }
}
