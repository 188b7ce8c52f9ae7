import Contracts
import EnrollmentService
import Foundation
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

@Suite("Manual enrollment and lifecycle", .serialized, .hangGuard)
struct ManualEnrollmentTests {
    @Test func enrollReadActAndPatchWithHistory() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("c1", #""defaultDueDays":10"#)
            let created = try await service.enroll(#"{"userId":"u1","reason":"onboarding"}"#, in: "c1", token: admin)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json.string("enrollmentId"))
            #expect(created.json.string("status") == "active")
            #expect(created.json.string("source") == "manual")
            #expect(created.json.string("sourceRef") == "admin-acme")
            #expect(created.json.int("cycle") == 1)
            let enrolledAt = try #require(created.json.string("enrolledAt").flatMap(RFC3339.parse))
            #expect(created.json.string("dueAt").flatMap(RFC3339.parse) == enrolledAt.addingTimeInterval(10 * 86_400))

            let again = try await service.enroll(#"{"userId":"u1"}"#, in: "c1", token: admin)
            #expect(again.status == 200 && again.json.string("enrollmentId") == id, "already enrolled answers the enrollment")

            // Actions, each recorded; repeating one changes nothing; unknown actions are 404.
            let suspended = try await service.http.send("POST", "/v1/enrollments/\(id):suspend", token: admin, body: #"{"reason":"leave"}"#)
            #expect(suspended.status == 200 && suspended.json.string("status") == "suspended", "\(suspended.text)")
            #expect(try await service.http.send("POST", "/v1/enrollments/\(id):suspend", token: admin).json.string("status") == "suspended")
            let reactivated = try await service.http.send("POST", "/v1/enrollments/\(id):reactivate", token: admin)
            #expect(reactivated.json.string("status") == "active")
            // No such action: by the document it is `{enrollmentId}` = "<id>:explode", which has no POST.
            let unknownAction = try await service.http.send("POST", "/v1/enrollments/\(id):explode", token: admin)
            #expect(unknownAction.status == 405 && unknownAction.header("Allow") == "GET, PATCH")
            #expect(try await service.http.send("POST", "/v1/enrollments/not-a-uuid:withdraw", token: admin).status == 404)

            let patched = try await service.http.send(
                "PATCH",
                "/v1/enrollments/\(id)",
                token: admin,
                body: #"{"dueAt":"2031-05-01T00:00:00Z","reason":"extension"}"#
            )
            #expect(patched.status == 200 && patched.json.string("dueAt") == "2031-05-01T00:00:00.000Z", "\(patched.text)")
            #expect(try await service.http.send("PATCH", "/v1/enrollments/\(id)", token: admin, body: "{}").status == 422)

            let withdrawn = try await service.http.send("POST", "/v1/enrollments/\(id):withdraw", token: admin, body: #"{"reason":"left team"}"#)
            #expect(withdrawn.json.string("status") == "withdrawn")
            let refused = try await service.http.send("POST", "/v1/enrollments/\(id):suspend", token: admin)
            #expect(refused.status == 409 && refused.json.string("type")?.hasSuffix("invalid-transition") == true)

            let detail = try await service.http.send("GET", "/v1/enrollments/\(id)", token: admin)
            let history = detail.json["history"]?.arrayValue ?? []
            #expect(
                history.map { "\($0.string("from") ?? "-")>\($0.string("to") ?? "")" } == [
                    "->active", "active>suspended", "suspended>active", "active>active", "active>withdrawn",
                ]
            )
            #expect(history.allSatisfy { $0.string("actor") == "admin-acme" && $0.string("at") != nil })
            #expect(history[1].string("reason") == "leave")
            #expect(history[3].string("reason")?.contains("extension") == true)

            // Events: created, 4 status changes, 1 update, all keyed by the user.
            let types = try await service.count(
                "SELECT count(*)::int FROM outbox_copies WHERE topic = 'lms.enrollments.v1' AND message_key = 'acme/u1'"
            )
            #expect(types == 5)
            #expect(try await service.count("SELECT count(*)::int FROM outbox_copies WHERE event_type = 'lms.enrollment.updated'") == 1)

            // The status-changed event carries the transition.
            let events = try await service.harness.outbox(.enrollments, as: EnrollmentSnapshot.self)
            let event = try #require(events.last { $0.type == "lms.enrollment.status-changed" }?.payload)
            #expect(event.transition == StatusTransition(from: .active, to: .withdrawn, reason: "left team", actor: "admin-acme"))
            #expect(event.status == .withdrawn && event.version == 5)

            // Re-enrolling a withdrawn user reopens the same cycle.
            let reopened = try await service.enroll(#"{"userId":"u1"}"#, in: "c1", token: admin)
            #expect(reopened.status == 201 && reopened.json.string("enrollmentId") == id && reopened.json.string("status") == "active")
        }
    }

    @Test func idempotencyKeyReplaysTheFirstAnswer() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("c1", #""capacity":1"#)
            let headers = ["Idempotency-Key": "enroll-u1-once"]
            let first = try await service.enroll(#"{"userId":"u1"}"#, in: "c1", headers: headers)
            let again = try await service.enroll(#"{"userId":"u1"}"#, in: "c1", headers: headers)
            #expect(first.status == 201 && again.status == 201 && again.text == first.text)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(try await service.count("SELECT count(*)::int FROM enrollment_transitions") == 1)
        }
    }

    @Test func listsFiltersAndVisibility() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("c1")
            var ids: [String: String] = [:]
            for user in ["u1", "u2", "u3"] {
                let answer = try await service.enroll(#"{"userId":"\#(user)"}"#, in: "c1", token: admin)
                ids[user] = answer.json.string("enrollmentId")
            }
            _ = try await service.http.send("POST", "/v1/enrollments/\(ids["u2"] ?? ""):withdraw", token: admin)

            let active = try await service.http.send("GET", "/v1/courses/c1/enrollments?status=active&source=manual", token: admin)
            #expect(active.json.items.compactMap { $0.string("userId") } == ["u1", "u3"])
            let firstPage = try await service.http.send("GET", "/v1/courses/c1/enrollments?limit=2", token: admin)
            #expect(firstPage.json.items.count == 2)
            let cursor = try #require(firstPage.json.string("nextCursor"))
            let secondPage = try await service.http.send("GET", "/v1/courses/c1/enrollments?limit=2&cursor=\(cursor)", token: admin)
            #expect(secondPage.json.items.compactMap { $0.string("userId") } == ["u3"])
            #expect(secondPage.json["nextCursor"] == .null)
            #expect(try await service.http.send("GET", "/v1/courses/c1/enrollments?status=bogus", token: admin).status == 400)

            // A learner sees its own enrollments only.
            let own = try await service.http.send("GET", "/v1/users/u1/enrollments", token: service.learner("u1"))
            #expect(own.status == 200 && own.json.items.count == 1)
            #expect(try await service.http.send("GET", "/v1/users/u3/enrollments", token: service.learner("u1")).status == 403)
            #expect(try await service.http.send("GET", "/v1/enrollments/\(ids["u1"] ?? "")", token: service.learner("u1")).status == 200)
            #expect(try await service.http.send("GET", "/v1/enrollments/\(ids["u3"] ?? "")", token: service.learner("u1")).status == 404)
            #expect(try await service.http.send("GET", "/v1/courses/c1/enrollments", token: service.learner("u1")).status == 403)

            // Another tenant's ids do not exist for it, for reads and for writes.
            let other = service.admin("globex")
            #expect(try await service.http.send("GET", "/v1/enrollments/\(ids["u1"] ?? "")", token: other).status == 404)
            #expect(try await service.http.send("POST", "/v1/enrollments/\(ids["u1"] ?? ""):withdraw", token: other).status == 404)
            #expect(
                try await service.http.send("PATCH", "/v1/enrollments/\(ids["u1"] ?? "")", token: other, body: #"{"dueAt":null}"#).status == 404
            )
            #expect(try await service.http.send("GET", "/v1/users/u1/enrollments", token: other).json.items.isEmpty)
            #expect(try await service.enroll(#"{"userId":"x"}"#, in: "c1", token: other).status == 404)
        }
    }

    @Test func instructorsManageOnlyTheirCourses() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("taught")
            try await service.putCourse("other")
            let instructor = service.token("teacher", roles: [.instructor])
            #expect(
                try await service.enroll(#"{"userId":"l1"}"#, in: "taught", token: instructor).status == 403
            )
            let assigned = try await service.enroll(#"{"userId":"teacher","role":"instructor"}"#, in: "taught", token: admin)
            #expect(assigned.status == 201 && assigned.json.string("role") == "instructor")
            let enrolled = try await service.enroll(#"{"userId":"l1"}"#, in: "taught", token: instructor)
            #expect(enrolled.status == 201)
            #expect(try await service.http.send("GET", "/v1/courses/taught/enrollments", token: instructor).json.items.count == 2)
            #expect(
                try await service.enroll(#"{"userId":"l1"}"#, in: "other", token: instructor).status == 403
            )
            #expect(
                try await service.enroll(#"{"userId":"t2","role":"instructor"}"#, in: "taught", token: instructor).status == 403
            )
        }
    }

    @Test func capacityWaitlistAndPromotionUnderConcurrency() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("small", #""capacity":2,"waitlist":true,"accessDays":30"#)
            var ids: [String] = []
            for user in ["w1", "w2", "w3", "w4"] {
                let answer = try await service.enroll(#"{"userId":"\#(user)"}"#, in: "small", token: admin)
                ids.append(answer.json.string("enrollmentId") ?? "")
                #expect(answer.json.string("status") == (user < "w3" ? "active" : "waitlisted"))
                #expect((answer.json["expiresAt"] != nil) == (user < "w3"), "access starts with the seat")
            }
            _ = try await service.http.send("POST", "/v1/enrollments/\(ids[0]):withdraw", token: admin)
            let promoted = try await service.http.send("GET", "/v1/enrollments/\(ids[2])", token: admin)
            #expect(promoted.json.string("status") == "active", "the longest-waiting learner gets the seat")
            #expect(promoted.json["history"]?.arrayValue?.last?.string("actor") == "system")
            #expect(promoted.json["expiresAt"] != nil)
            #expect(try await service.http.send("GET", "/v1/enrollments/\(ids[3])", token: admin).json.string("status") == "waitlisted")

            // Raising the capacity fills the new seat.
            try await service.putCourse("small", #""capacity":3,"waitlist":true,"accessDays":30"#)
            #expect(try await service.http.send("GET", "/v1/enrollments/\(ids[3])", token: admin).json.string("status") == "active")

            // No waitlist: over capacity is refused.
            try await service.putCourse("strict", #""capacity":1"#)
            #expect(try await service.enroll(#"{"userId":"s1"}"#, in: "strict", token: admin).status == 201)
            let full = try await service.enroll(#"{"userId":"s2"}"#, in: "strict", token: admin)
            #expect(full.status == 409 && full.json.string("type")?.hasSuffix("course-full") == true)

            // 30 concurrent enrollments into 5 seats, then 5 concurrent withdrawals: never more than 5 active.
            try await service.putCourse("busy", #""capacity":5,"waitlist":true"#)
            let answers = try await EnrollmentHarness.concurrently(0..<30) { index in
                try await service.enroll(#"{"userId":"b\#(index)"}"#, in: "busy", token: admin)
            }
            #expect(answers.filter { $0.json.string("status") == "active" }.count == 5)
            #expect(answers.filter { $0.json.string("status") == "waitlisted" }.count == 25)
            let actives = answers.filter { $0.json.string("status") == "active" }.compactMap { $0.json.string("enrollmentId") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in actives {
                    group.addTask { _ = try await service.http.send("POST", "/v1/enrollments/\(id):withdraw", token: admin) }
                }
                try await group.waitForAll()
            }
            let counts = try await service.count(
                "SELECT count(*)::int FROM enrollments WHERE course_id = 'busy' AND status = 'active'"
            )
            #expect(counts == 5)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'busy' AND status = 'waitlisted'") == 20)
        }
    }
}
