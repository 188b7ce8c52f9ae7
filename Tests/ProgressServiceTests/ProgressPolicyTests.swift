import Contracts
import Foundation
import ProgressService
import ServicePlatform
import TestSupport
import Testing

@Suite("Progress: percent, status and completion", .hangGuard)
struct ProgressPolicyTests {
    @Test func moduleCourseCountsRequiredModulesAndCompletesOnce() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("safety", modules: ["m1", "m2", "m3", "m4"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "safety"))
            #expect(try await h.progress(id).json.string("status") == "not_started")

            try await h.activities([try h.activity("u1", course: "safety", module: "m1", .started, progress: 0.3, seconds: 120)])
            var answer = try await h.progress(id).json
            #expect(answer.string("status") == "in_progress")
            #expect(answer.double("percent") == 0)
            #expect(answer.int("timeSpentSeconds") == 120)

            try await h.activities([
                try h.activity("u1", course: "safety", module: "m1", .completed, at: 1),
                try h.activity("u1", course: "safety", module: "m2", .completed, at: 2),
                try h.activity("u1", course: "safety", module: "extra", .completed, at: 3),
            ])
            answer = try await h.progress(id).json
            #expect(answer.double("percent") == 50, "2 of 4 required modules; a module outside the list does not count")
            #expect(answer.string("status") == "in_progress")

            try await h.activities([
                try h.activity("u1", course: "safety", module: "m3", .completed, at: 10),
                try h.activity("u1", course: "safety", module: "m4", .passed, score: 90, at: 20),
            ])
            answer = try await h.progress(id).json
            #expect(answer.string("status") == "completed")
            #expect(answer.double("percent") == 100)
            #expect(answer["completedModules"]?.arrayValue?.compactMap(\.stringValue) == ["extra", "m1", "m2", "m3", "m4"])
            #expect(answer.string("completedAt") == RFC3339.format(h.clock.now().addingTimeInterval(20)), "completed when the last module was")
            #expect(answer["completedLate"]?.boolValue == false || answer["completedLate"] == nil, "no due date: not late")

            let events = try await h.progressEvents()
            #expect(events.map(\.type) == ["lms.progress.updated", "lms.progress.updated", "lms.progress.completed"])
            #expect(events.map(\.payload.version) == [1, 2, 3])

            // More activity after completion does not complete again.
            try await h.activities([try h.activity("u1", course: "safety", module: "m1", .completed, at: 30)])
            #expect(try await h.progressEvents().filter { $0.type == "lms.progress.completed" }.count == 1)
        }
    }

    @Test func scoreCourseFailsThenPasses() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("exam", modules: [], passingScore: 80))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u2", course: "exam"))

            try await h.activities([try h.activity("u2", course: "exam", module: "quiz", .failed, score: 60)])
            var answer = try await h.progress(id).json
            #expect(answer.string("status") == "failed")
            #expect(answer.double("score") == 60)

            try await h.activities([try h.activity("u2", course: "exam", module: "quiz", .started, progress: 0.5, at: 5)])
            answer = try await h.progress(id).json
            #expect(answer.string("status") == "in_progress", "a new attempt clears the failure")
            #expect(answer.double("percent") == 50, "an assessment course shows content progress")

            // A completed attempt below the passing score is a fail, too.
            try await h.activities([try h.activity("u2", course: "exam", module: "quiz", .completed, score: 79.5, at: 6)])
            #expect(try await h.progress(id).json.string("status") == "failed")

            try await h.activities([try h.activity("u2", course: "exam", module: "quiz", .passed, score: 85, at: 10)])
            answer = try await h.progress(id).json
            #expect(answer.string("status") == "completed")
            #expect(answer.double("score") == 85, "best score")
            #expect(try await h.progressEvents().last?.type == "lms.progress.completed")
        }
    }

    @Test func modulesAndPassingScoreTogether() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("both", modules: ["read", "test"], passingScore: 70))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u3", course: "both"))
            try await h.activities([
                try h.activity("u3", course: "both", module: "read", .completed),
                try h.activity("u3", course: "both", module: "test", .completed, score: 65, at: 1),
            ])
            var answer = try await h.progress(id).json
            #expect(answer.double("percent") == 100, "both modules completed")
            #expect(answer.string("status") == "failed", "but the score is below 70")
            try await h.activities([try h.activity("u3", course: "both", module: "test", .passed, score: 72, at: 2)])
            answer = try await h.progress(id).json
            #expect(answer.string("status") == "completed")
        }
    }

    @Test func courseChangesRecomputePercentages() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("evolving", modules: ["a", "b"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u4", course: "evolving"))
            try await h.activities([try h.activity("u4", course: "evolving", module: "a", .completed)])
            #expect(try await h.progress(id).json.double("percent") == 50)

            try await h.courses(try h.course("evolving", modules: ["a", "b", "c", "d"], version: 2))
            #expect(try await h.progress(id).json.double("percent") == 25)

            // An older course event changes nothing.
            try await h.courses(try h.course("evolving", modules: ["a"], version: 1))
            #expect(try await h.progress(id).json.double("percent") == 25)

            try await h.courses(try h.course("evolving", modules: ["a"], version: 3))
            let answer = try await h.progress(id).json
            #expect(answer.string("status") == "completed", "the only required module is done")
            #expect(answer.string("completedAt") == RFC3339.format(h.clock.now()), "completed when the course changed")
            #expect(try await h.progressEvents().map(\.type) == ["lms.progress.updated", "lms.progress.updated", "lms.progress.completed"])
        }
    }

    @Test func nothingCompletesBeforeTheCoursePolicyIsKnown() async throws {
        try await ProgressHarness.run { h in
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u5", course: "late-course"))
            try await h.activities([try h.activity("u5", course: "late-course", module: "a", .completed)])
            #expect(try await h.progress(id).json.string("status") == "in_progress")
            try await h.courses(try h.course("late-course", modules: ["a", "b"]))
            #expect(try await h.progress(id).json.double("percent") == 50)
            #expect(try await h.progress(id).json.string("status") == "in_progress")
        }
    }

    /// The enrollment consumer and the course consumer run concurrently: without the course lock
    /// (CoursePolicyRepository.lockForChange / lockForReading) the enrollment is evaluated with no policy
    /// and the policy change's recompute does not see the uncommitted enrollment, so it never completes.
    @Test func anEnrollmentRacingItsCoursePolicyStillCompletes() async throws {
        try await ProgressHarness.run { h in
            let id = UUID()
            try await h.activities([
                try h.activity("u6", course: "racing", module: "a", .completed),
                try h.activity("u6", course: "racing", module: "b", .completed, at: 1),
            ])
            let enrollment = try h.enrollment(id, user: "u6", course: "racing")
            let course = try h.course("racing", modules: ["a", "b"])
            let rejected = try await h.service.database.whileTransactionIsOpen { connection in
                _ = try await h.module.enrollmentHandler.handle(ServiceHarness.consumed([enrollment]), on: connection)
            } meanwhile: {
                try await h.courses(course)
            }
            #expect(rejected.isEmpty)

            #expect(try await h.progress(id).json.string("status") == "completed", "the policy applied to the racing enrollment")
            #expect(try await h.progressEvents().filter { $0.type == "lms.progress.completed" }.count == 1)
        }
    }
}
