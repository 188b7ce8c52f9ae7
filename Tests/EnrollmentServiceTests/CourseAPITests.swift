import Contracts
import Kafka
import TestSupport
import Testing

@Suite("Courses API", .serialized, .hangGuard)
struct CourseAPITests {
    @Test func putGetListValidateAndPublish() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            let body = """
                {"title":"Fire safety","capacity":20,"waitlist":true,"enrollmentOpensAt":"2030-01-01T00:00:00Z",
                 "selfEnrollment":{"enabled":true,"requiredProfileFields":["department","attributes.shift"]},
                 "defaultDueDays":30,"accessDays":365,"recertifyEveryDays":365,"modules":["m1","m2"],"passingScore":80}
                """
            let created = try await service.http.send("PUT", "/v1/courses/fire-101", token: admin, body: body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json.string("courseId") == "fire-101")
            #expect(created.json.int("version") == 1)
            #expect(created.json["selfEnrollment"]?["requiredProfileFields"]?.arrayValue?.count == 2)

            let replaced = try await service.http.send("PUT", "/v1/courses/fire-101", token: admin, body: #"{"title":"Fire safety 2"}"#)
            #expect(replaced.status == 200)
            #expect(replaced.json.int("version") == 2)
            #expect(replaced.json["capacity"] == nil, "PUT replaces the settings")

            let read = try await service.http.send("GET", "/v1/courses/fire-101", token: service.learner("l1"))
            #expect(read.status == 200 && read.json.string("title") == "Fire safety 2")

            // Cross-tenant: another tenant's course does not exist for it.
            #expect(try await service.http.send("GET", "/v1/courses/fire-101", token: service.admin("globex")).status == 404)
            // Roles: only admins write.
            let forbidden = try await service.http.send("PUT", "/v1/courses/x", token: service.learner("l1"), body: #"{"title":"x"}"#)
            #expect(forbidden.status == 403)

            // Validation reports every bad field.
            let invalid = try await service.http.send(
                "PUT",
                "/v1/courses/bad",
                token: admin,
                body:
                    #"{"title":"","capacity":-1,"accessDays":0,"selfEnrollment":{"enabled":true,"requiredProfileFields":["salary"]},"passingScore":101}"#
            )
            #expect(invalid.status == 422)
            #expect(invalid.header("Content-Type") == "application/problem+json")
            let fields = Set(invalid.json["errors"]?.arrayValue?.compactMap { $0.string("field") } ?? [])
            #expect(fields == ["title", "capacity", "accessDays", "selfEnrollment.requiredProfileFields[0]", "passingScore"])

            // Cursor pagination.
            for id in ["a-course", "b-course", "c-course"] { try await service.putCourse(id) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/v1/courses?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await service.http.send("GET", path, token: admin)
                #expect(page.status == 200)
                seen += page.json.items.compactMap { $0.string("courseId") }
                cursor = page.json.string("nextCursor")
            } while cursor != nil
            #expect(seen == ["a-course", "b-course", "c-course", "fire-101"])

            // The outbox published lms.course.upserted, keyed by course.
            #expect(try await service.count("SELECT count(*)::int FROM outbox_copies WHERE event_type = 'lms.course.upserted'") == 5)
            let consumer = try service.harness.probe([.courses])
            let messages = try await collectRunning(consumer, count: 5, logger: service.logger)
            let keys = Set(messages.compactMap(\.keyString))
            #expect(keys.contains("acme/fire-101"))
            #expect(messages.allSatisfy { $0.headers.string(for: "ce_type") == "lms.course.upserted" })
        }
    }
}
