import Contracts
import EnrollmentService
import Foundation
import ServicePlatform
import TestSupport
import Testing

@Suite("Self-enrollment", .serialized, .hangGuard)
struct SelfEnrollmentTests {
    private func createKey(_ service: EnrollmentHarness, course: String, _ body: String = "{}") async throws -> (id: String, key: String) {
        let answer = try await service.http.send("POST", "/v1/courses/\(course)/enrollment-keys", token: service.admin(), body: body)
        #expect(answer.status == 201, "\(answer.text)")
        return (try #require(answer.json.string("keyId")), try #require(answer.json.string("key")))
    }

    /// The `uses` of the course's keys as the key listing shows them, oldest key first.
    private func listedUses(_ service: EnrollmentHarness, course: String) async throws -> [Int?] {
        let listed = try await service.http.send("GET", "/v1/courses/\(course)/enrollment-keys", token: service.admin())
        #expect(listed.status == 200, "\(listed.text)")
        return listed.json.items.map { $0.int("uses") }
    }

    private func selfEnroll(
        _ service: EnrollmentHarness,
        _ user: String,
        course: String,
        key: String,
        profile: String = "{}"
    ) async throws -> HTTPProbe.Answer {
        try await service.http.send(
            "POST",
            "/v1/self-enrollments",
            token: service.learner(user),
            body: #"{"courseId":"\#(course)","key":"\#(key)","profile":\#(profile)}"#
        )
    }

    @Test func hundredConcurrentLearnersIntoTenSeatsThenPromotion() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("popular", #""capacity":10,"waitlist":true,"selfEnrollment":{"enabled":true}"#)
            let users = (0..<100).map { "p\($0)" }
            try await service.projectUsers(users)
            let (_, key) = try await createKey(service, course: "popular")
            let answers = try await EnrollmentHarness.concurrently(users) { user in try await selfEnroll(service, user, course: "popular", key: key) }
            #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.first { $0.status != 201 }?.text ?? "")")
            #expect(answers.filter { $0.json.string("status") == "active" }.count == 10)
            #expect(answers.filter { $0.json.string("status") == "waitlisted" }.count == 90)
            #expect(answers.allSatisfy { $0.json.string("source") == "self" })
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'popular' AND status = 'active'") == 10)
            #expect(try await listedUses(service, course: "popular") == [100])

            // A freed seat goes to the learner who waited longest.
            let active = try #require(answers.first { $0.json.string("status") == "active" }?.json.string("enrollmentId"))
            let oldestWaiting = try await service.count(
                """
                SELECT substring(user_id from 2)::int FROM enrollments
                WHERE course_id = 'popular' AND status = 'waitlisted' ORDER BY status_changed_at, seq LIMIT 1
                """
            )
            let withdrawn = try await service.http.send("POST", "/v1/enrollments/\(active):withdraw", token: service.admin())
            #expect(withdrawn.json.string("status") == "withdrawn")
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'popular' AND status = 'active'") == 10)
            let promoted = try await service.count(
                "SELECT count(*)::int FROM enrollments WHERE course_id = 'popular' AND status = 'active' AND user_id = 'p\(oldestWaiting)'"
            )
            #expect(promoted == 1)
            // Enrolling again answers the existing enrollment and does not use the key (the promoted
            // learner: any fixed learner could be the one just withdrawn, who would enroll anew).
            let repeated = try await selfEnroll(service, "p\(oldestWaiting)", course: "popular", key: key)
            #expect(repeated.status == 200)
            #expect(try await listedUses(service, course: "popular") == [100])
        }
    }

    /// A course without a capacity is locked only shared by self-enrollments (learners enroll
    /// concurrently); the learner's seat is what serialises, so the same learner racing itself
    /// still gets one enrollment and uses the key once.
    @Test func concurrentSelfEnrollmentsIntoAnUnlimitedCourse() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("open-door", #""selfEnrollment":{"enabled":true}"#)
            let users = (0..<40).map { "o\($0)" }
            try await service.projectUsers(users)
            let (_, key) = try await createKey(service, course: "open-door")
            let racing = try await EnrollmentHarness.concurrently(0..<20) { _ in try await selfEnroll(service, "o0", course: "open-door", key: key) }
            #expect(racing.filter { $0.status == 201 }.count == 1, "\(racing.first { $0.status >= 300 }?.text ?? "")")
            #expect(racing.filter { $0.status == 200 }.count == 19, "the others answer the existing enrollment")
            let answers = try await EnrollmentHarness.concurrently(users.dropFirst()) { user in
                try await selfEnroll(service, user, course: "open-door", key: key)
            }
            #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.first { $0.status != 201 }?.text ?? "")")
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'open-door'") == 40)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'open-door' AND user_id = 'o0'") == 1)
            #expect(try await listedUses(service, course: "open-door") == [40], "a repeated enrollment does not use the key")
            #expect(try await service.count("SELECT uses FROM enrollment_keys") == 0, "an unlimited key's row is not updated")
        }
    }

    /// A key with a limit is counted on its row, under its lock: learners racing for its last uses
    /// get exactly `maxUses` enrollments, the others its exhaustion.
    @Test func concurrentLearnersRacingALimitedKey() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("limited", #""selfEnrollment":{"enabled":true}"#)
            let users = (0..<20).map { "l\($0)" }
            try await service.projectUsers(users)
            let (_, key) = try await createKey(service, course: "limited", #"{"maxUses":5}"#)
            let answers = try await EnrollmentHarness.concurrently(users) { user in try await selfEnroll(service, user, course: "limited", key: key) }
            #expect(answers.filter { $0.status == 201 }.count == 5, "\(answers.map(\.status))")
            let refused = answers.filter { $0.status == 409 }
            #expect(refused.count == 15)
            #expect(refused.allSatisfy { $0.json.string("type")?.hasSuffix("enrollment-key-exhausted") == true })
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE course_id = 'limited'") == 5)
            #expect(try await listedUses(service, course: "limited") == [5])
        }
    }

    @Test func keysAreShownOnceAndExhaustExpireAndRevoke() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("keyed", #""selfEnrollment":{"enabled":true}"#)
            try await service.projectUsers(["k1", "k2", "k3", "k4"])
            let (keyId, key) = try await createKey(service, course: "keyed", #"{"label":"cohort A","maxUses":2}"#)
            let listed = try await service.http.send("GET", "/v1/courses/keyed/enrollment-keys", token: service.admin())
            #expect(listed.json.items.count == 1)
            #expect(listed.json.items[0]["key"] == nil, "the secret is shown only once")
            #expect(listed.json.items[0].string("label") == "cohort A")
            #expect(try await service.count("SELECT count(*)::int FROM enrollment_keys WHERE key_hash = '\(key)'") == 0, "stored hashed")

            // Case, spaces and dashes do not matter.
            let typed = key.lowercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await selfEnroll(service, "k1", course: "keyed", key: typed).status == 201)
            #expect(try await selfEnroll(service, "k2", course: "keyed", key: key).status == 201)
            let exhausted = try await selfEnroll(service, "k3", course: "keyed", key: key)
            #expect(exhausted.status == 409 && exhausted.json.string("type")?.hasSuffix("enrollment-key-exhausted") == true)

            let (_, expiring) = try await createKey(
                service,
                course: "keyed",
                #"{"expiresAt":"\#(RFC3339.format(service.clock.now().addingTimeInterval(86_400)))"}"#
            )
            service.clock.advance(days: 2)
            let expired = try await selfEnroll(service, "k3", course: "keyed", key: expiring)
            #expect(expired.status == 410 && expired.json.string("type")?.hasSuffix("enrollment-key-expired") == true)

            let (revokedId, revoked) = try await createKey(service, course: "keyed")
            #expect(try await service.http.send("DELETE", "/v1/enrollment-keys/\(revokedId)", token: service.admin()).status == 204)
            #expect(try await service.http.send("DELETE", "/v1/enrollment-keys/\(revokedId)", token: service.admin("globex")).status == 404)
            let refused = try await selfEnroll(service, "k3", course: "keyed", key: revoked)
            #expect(refused.status == 403 && refused.json.string("type")?.hasSuffix("enrollment-key-invalid") == true)
            #expect(try await service.http.send("DELETE", "/v1/enrollment-keys/\(keyId)", token: service.learner("k1")).status == 403)

            // Every attempt is audited.
            let outcomes = try await service.count("SELECT count(DISTINCT outcome)::int FROM self_enrollment_attempts")
            #expect(outcomes == 4)  // enrolled, key-exhausted, key-expired, invalid-key
        }
    }

    @Test func wrongKeysAreRateLimitedPerLearnerAndCourse() async throws {
        try await EnrollmentHarness.run(rateLimit: .init(maximumFailures: 3, window: .seconds(600))) { service in
            try await service.putCourse("guarded", #""selfEnrollment":{"enabled":true}"#)
            try await service.projectUsers(["r1", "r2"])
            let (_, key) = try await createKey(service, course: "guarded")
            for _ in 0..<3 {
                let wrong = try await selfEnroll(service, "r1", course: "guarded", key: "WRONG-KEY")
                #expect(wrong.status == 403)
            }
            let limited = try await selfEnroll(service, "r1", course: "guarded", key: key)
            #expect(limited.status == 429, "even the right key waits: \(limited.text)")
            #expect(limited.header("Retry-After") == "600")
            #expect(try await selfEnroll(service, "r2", course: "guarded", key: key).status == 201, "other learners are not affected")
            service.clock.advance(seconds: 400)
            #expect(try await selfEnroll(service, "r1", course: "guarded", key: key).header("Retry-After") == "200")
            service.clock.advance(seconds: 201)
            #expect(try await selfEnroll(service, "r1", course: "guarded", key: key).status == 201)
        }
    }

    @Test func eachEligibilityCheckHasItsOwnProblem() async throws {
        try await EnrollmentHarness.run { service in
            let segment = UUID()
            try await service.putCourse("off")
            try await service.putCourse(
                "later",
                #""selfEnrollment":{"enabled":true},"enrollmentOpensAt":"\#(RFC3339.format(service.clock.now().addingTimeInterval(3600)))""#
            )
            try await service.putCourse(
                "restricted",
                #""selfEnrollment":{"enabled":true,"requiredProfileFields":["department","attributes.shift"],"restrictToSegmentId":"\#(segment.uuidString)"}"#
            )
            try await service.projectUsers(["e1"]) { _ in ("Sales", nil) }
            try await service.projectUsers(["outsider"])
            let keys = [
                "off": try await createKey(service, course: "off").key, "later": try await createKey(service, course: "later").key,
                "restricted": try await createKey(service, course: "restricted").key,
            ]
            func type(_ answer: HTTPProbe.Answer) -> String { answer.json.string("type")?.components(separatedBy: "/").last ?? "" }

            #expect(type(try await selfEnroll(service, "e1", course: "off", key: keys["off"] ?? "")) == "self-enrollment-disabled")
            #expect(type(try await selfEnroll(service, "e1", course: "later", key: keys["later"] ?? "")) == "enrollment-window-closed")
            #expect(type(try await selfEnroll(service, "stranger", course: "restricted", key: keys["restricted"] ?? "")) == "learner-not-active")
            #expect(type(try await selfEnroll(service, "e1", course: "restricted", key: keys["restricted"] ?? "")) == "not-in-segment")
            #expect(try await selfEnroll(service, "e1", course: "missing", key: "x").status == 404)

            try await service.deliver(
                [
                    try CloudEvent.make(
                        SegmentMembershipChanged(
                            tenantId: "acme",
                            segmentId: segment,
                            userId: "e1",
                            member: true,
                            version: 1,
                            changedAt: service.clock.now()
                        ),
                        source: "/tests"
                    )
                ],
                to: service.module.segmentHandler
            )
            let incomplete = try await selfEnroll(service, "e1", course: "restricted", key: keys["restricted"] ?? "")
            #expect(incomplete.status == 422 && type(incomplete) == "profile-incomplete")
            #expect(
                incomplete.json["errors"]?.arrayValue?.compactMap { $0.string("field") } == ["profile.attributes.shift"],
                "department comes from the profile"
            )

            let enrolled = try await selfEnroll(
                service,
                "e1",
                course: "restricted",
                key: keys["restricted"] ?? "",
                profile: #"{"attributes":{"shift":"night"}}"#
            )
            #expect(enrolled.status == 201, "\(enrolled.text)")
            let detail = try await service.http.send(
                "GET",
                "/v1/enrollments/\(enrolled.json.string("enrollmentId") ?? "")",
                token: service.learner("e1")
            )
            #expect(detail.json["profileAnswers"] == ["department": "Sales", "attributes.shift": "night"])

            // Only members of the segment pass.
            #expect(type(try await selfEnroll(service, "outsider", course: "restricted", key: keys["restricted"] ?? "")) == "not-in-segment")
        }
    }

    @Test func enrollmentLinks() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("linked", #""selfEnrollment":{"enabled":true}"#)
            try await service.projectUsers(["l1", "l2"])
            let created = try await service.http.send("POST", "/v1/courses/linked/enrollment-links", token: service.admin(), body: #"{"maxUses":1}"#)
            #expect(created.status == 201)
            let token = try #require(created.json.string("token"))
            #expect(created.json.string("path") == "/v1/self-enrollments/links/\(token)")
            let enrolled = try await service.http.send("POST", "/v1/self-enrollments/links/\(token)", token: service.learner("l1"))
            #expect(enrolled.status == 201 && enrolled.json.string("sourceRef")?.hasPrefix("link:") == true, "\(enrolled.text)")
            let used = try await service.http.send("POST", "/v1/self-enrollments/links/\(token)", token: service.learner("l2"))
            #expect(used.status == 409 && used.json.string("type")?.hasSuffix("enrollment-link-exhausted") == true)
            #expect(try await service.http.send("POST", "/v1/self-enrollments/links/not-a-token", token: service.learner("l2")).status == 404)
            #expect(
                try await service.http.send("POST", "/v1/self-enrollments/links/\(token)", token: service.learner("l1", tenant: "globex")).status
                    == 404
            )
        }
    }
}
