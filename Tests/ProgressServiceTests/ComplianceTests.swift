import Contracts
import Foundation
import ProgressService
import TestSupport
import Testing

@Suite("Progress: compliance", .hangGuard)
struct ComplianceTests {
    @Test func sweepMarksOverdueOnceAndLateCompletionIsRecorded() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("policy", modules: ["a"]))
            let late = UUID()
            let onTime = UUID()
            let withdrawn = UUID()
            let due = h.clock.now().addingTimeInterval(86_400)
            try await h.enrollments(
                try h.enrollment(late, user: "late", course: "policy", dueAt: due),
                try h.enrollment(onTime, user: "ontime", course: "policy", dueAt: due),
                try h.enrollment(withdrawn, user: "gone", course: "policy", status: .withdrawn, dueAt: due))
            try await h.activities([try h.activity("ontime", course: "policy", module: "a", .completed, at: 60)])

            #expect(try await h.module.sweep.run() == 0, "nothing is due yet")
            h.clock.advance(days: 2)
            #expect(try await h.module.sweep.run() == 1, "only the open, incomplete enrollment falls overdue")
            #expect(try await h.module.sweep.run() == 0, "and only once")

            var answer = try await h.progress(late).json
            #expect(answer.bool("overdue") == true)
            let overdueEvents = try await h.progressEvents().filter { $0.type == "lms.progress.overdue" }
            #expect(overdueEvents.map(\.payload.enrollmentId) == [late])

            let listed = try await h.service.http.send("GET", "/v1/courses/policy/progress?overdue=true", token: h.service.admin()).json
            #expect(listed.items.compactMap { $0.string("userId") } == ["late"])

            // Completing after the due date: completed, late, no longer overdue.
            try await h.activities([try h.activity("late", course: "policy", module: "a", .completed)])
            answer = try await h.progress(late).json
            #expect(answer.string("status") == "completed")
            #expect(answer.bool("overdue") == false)
            #expect(answer.bool("completedLate") == true)
            #expect(try await h.progress(onTime).json.bool("completedLate") == false)
        }
    }

    @Test func anExtendedDueDateLiftsOverdueAndANewOneIsAnnouncedAgain() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("extend", modules: ["a"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "extend", dueAt: h.clock.now().addingTimeInterval(3_600)))
            h.clock.advance(days: 1)
            #expect(try await h.module.sweep.run() == 1)

            let extended = h.clock.now().addingTimeInterval(7 * 86_400)
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "extend", dueAt: extended, version: 2))
            var answer = try await h.progress(id).json
            #expect(answer.bool("overdue") == false)
            #expect(answer.string("dueAt") == RFC3339.format(extended))

            h.clock.advance(days: 8)
            #expect(try await h.module.sweep.run() == 1)
            answer = try await h.progress(id).json
            #expect(answer.bool("overdue") == true)
            #expect(try await h.progressEvents().map(\.type) == ["lms.progress.overdue", "lms.progress.updated", "lms.progress.overdue"])
        }
    }
}
