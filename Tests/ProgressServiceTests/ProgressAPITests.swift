import Contracts
import Foundation
import ProgressService
import ServiceHTTP
import TestSupport
import Testing

@Suite("Progress: HTTP API", .hangGuard)
struct ProgressAPITests {
    @Test func learnersSeeTheirOwnInstructorsTheirCoursesAndOtherTenantsNothing() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("c1", modules: ["a", "b"]), try h.course("c2", modules: ["a"]))
            let mine = UUID()
            let other = UUID()
            let mineInC2 = UUID()
            try await h.enrollments(
                try h.enrollment(mine, user: "ann", course: "c1"),
                try h.enrollment(other, user: "bob", course: "c1"),
                try h.enrollment(mineInC2, user: "ann", course: "c2"),
                try h.enrollment(UUID(), user: "teacher", course: "c1", role: .instructor)
            )
            try await h.activities([try h.activity("ann", course: "c1", module: "a", .completed)])

            let ann = h.service.learner("ann")
            #expect(try await h.progress(mine, token: ann).json.double("percent") == 50)
            #expect(try await h.progress(other, token: ann).status == 404, "another learner's enrollment is not there for ann")
            let annList = try await h.service.http.send("GET", "/v1/users/ann/progress", token: ann).json
            #expect(annList.items.compactMap { $0.string("courseId") } == ["c1", "c2"])
            #expect(try await h.service.http.send("GET", "/v1/users/bob/progress", token: ann).status == 403)
            #expect(try await h.service.http.send("GET", "/v1/courses/c1/progress", token: ann).status == 403)

            let teacher = h.service.token("teacher", roles: [.instructor])
            #expect(try await h.progress(other, token: teacher).status == 200)
            let course = try await h.service.http.send("GET", "/v1/courses/c1/progress?status=not_started", token: teacher).json
            #expect(course.items.compactMap { $0.string("userId") } == ["bob"])
            let annForTeacher = try await h.service.http.send("GET", "/v1/users/ann/progress", token: teacher).json
            #expect(annForTeacher.items.compactMap { $0.string("courseId") } == ["c1"], "only the courses the instructor teaches")
            #expect(try await h.service.http.send("GET", "/v1/courses/c2/progress", token: teacher).status == 403)

            let globex = h.service.admin("globex")
            #expect(try await h.progress(mine, token: globex).status == 404)
            #expect(try await h.service.http.send("GET", "/v1/users/ann/progress", token: globex).json.items.isEmpty)
            #expect(try await h.service.http.send("GET", "/v1/courses/c1/progress", token: globex).json.items.isEmpty)

            let bad = try await h.service.http.send("GET", "/v1/courses/c1/progress?status=done&overdue=maybe", token: h.service.admin())
            #expect(bad.status == 400)
            #expect(Set(bad.json["errors"]?.arrayValue?.compactMap { $0.string("field") } ?? []) == ["status", "overdue"])
        }
    }

    @Test func listsPageWithCursors() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("paged", modules: ["a"]))
            for index in 0..<7 { try await h.enrollments(try h.enrollment(UUID(), user: "p\(index)", course: "paged")) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await h.service.http.send("GET", "/v1/courses/paged/progress?\(query)", token: h.service.admin()).json
                seen += page.items.compactMap { $0.string("userId") }
                cursor = page.string("nextCursor")
            } while cursor != nil
            #expect(seen.sorted() == (0..<7).map { "p\($0)" })
            #expect(Set(seen).count == 7)
        }
    }

    @Test func postActivityRecordsValidatesAndRequiresTheServiceRole() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("http", modules: ["a", "b"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "http"))
            let service = h.service.token("player", roles: [.service], scopes: [.activityWrite])
            let statement = UUID().uuidString.lowercased()
            let body = """
                {"tenantId":"acme","statementId":"\(statement)","userId":"u1","courseId":"http","moduleId":"a",
                 "verb":"completed","durationSeconds":30,"occurredAt":"\(RFC3339.format(h.clock.now()))"}
                """
            let first = try await h.service.http.send("POST", "/v1/activity", token: service, body: body)
            #expect(first.status == 200, "\(first.text)")
            #expect(first.json.int("recorded") == 1)
            let again = try await h.service.http.send("POST", "/v1/activity", token: service, body: "[\(body)]")
            #expect(again.json.int("duplicates") == 1)
            #expect(try await h.progress(id).json.double("percent") == 50)

            #expect(try await h.service.http.send("POST", "/v1/activity", token: h.service.learner("u1"), body: body).status == 403)
            #expect(try await h.service.http.send("POST", "/v1/activity", body: body).status == 401)

            let invalid = """
                [{"tenantId":"globex","statementId":"\(UUID())","userId":"u1","courseId":"http","moduleId":"a",
                  "verb":"progressed","progress":1.5,"occurredAt":"\(RFC3339.format(h.clock.now()))"}]
                """
            let refused = try await h.service.http.send("POST", "/v1/activity", token: service, body: invalid)
            #expect(refused.status == 422)
            #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(Set(refused.json["errors"]?.arrayValue?.compactMap { $0.string("field") } ?? []) == ["[0].progress", "[0].tenantId"])
            let malformed = try await h.service.http.send("POST", "/v1/activity", token: service, body: #"{"verb":"danced"}"#)
            #expect(malformed.status == 400)
            #expect(try await h.service.count("SELECT count(*)::int FROM statements") == 1, "refused statements are not stored")
        }
    }

    @Test func erasureWipesThePersonalLinkButKeepsTheAggregates() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("gdpr", modules: ["a"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "erase-me", course: "gdpr"))
            try await h.activities([try h.activity("erase-me", course: "gdpr", module: "a", .completed)])
            try await h.service.deliver([try h.erased("erase-me")], to: h.module.userHandler)

            #expect(try await h.service.http.send("GET", "/v1/users/erase-me/progress", token: h.service.admin()).json.items.isEmpty)
            let course = try await h.service.http.send("GET", "/v1/courses/gdpr/progress", token: h.service.admin()).json
            #expect(course.items.count == 1)
            #expect(course.items.first?.string("status") == "completed")
            #expect(course.items.first?.string("userId")?.hasPrefix("erased-") == true)
            #expect(try await h.service.count("SELECT count(*)::int FROM statements WHERE user_id = 'erase-me'") == 0)
            #expect(try await h.service.count("SELECT count(*)::int FROM enrollment_progress WHERE user_id = 'erase-me'") == 0)
        }
    }

    @Test func openAPIDocumentDescribesTheRoutes() async throws {
        try await ProgressHarness.run { h in
            let document = try await h.service.http.send("GET", "/openapi.json").json
            let paths = Set(document["paths"]?.objectValue?.keys.map { $0 } ?? [])
            for path in [
                "/v1/enrollments/{id}/progress", "/v1/users/{userId}/progress", "/v1/courses/{courseId}/progress", "/v1/activity",
                "/v1/activity/unattributed",
            ] {
                #expect(paths.contains(path), "missing \(path)")
            }
        }
    }
}
