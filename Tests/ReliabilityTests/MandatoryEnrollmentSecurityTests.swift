import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// Security review M2 against the real processes: a rule's enrollment reaches enrollment-service
/// through user-service, rules-worker and Kafka as mandatory, and the learner cannot withdraw from
/// it (nor from an admin-assigned mandatory one); an admin still can.
@Suite("Reliability: mandatory enrollments", .serialized, .timeLimit(.minutes(10)))
struct MandatoryEnrollmentSecurityTests {
    @Test func aLearnerCannotWithdrawFromAMandatoryEnrollment() async throws {
        try await LocalStack.run { stack in
            let admin = stack.admin("acme")
            let learner = stack.token("ops-1", tenant: "acme", roles: [.learner])
            let enrollments = stack.http(.enrollmentService)
            @discardableResult
            func call(_ service: LocalStack.Service, _ method: String, _ path: String, body: String? = nil) async throws -> HTTPProbe.Answer {
                let answer = try await stack.http(service).send(method, path, token: admin, body: body)
                #expect([200, 201].contains(answer.status), "\(method) \(path) → \(answer.status): \(answer.text.prefix(400))")
                return answer
            }
            try await call(.enrollmentService, "PUT", "/v1/courses/safety", body: #"{"title":"Safety"}"#)
            try await call(
                .userService,
                "POST",
                "/v1/users",
                body: #"{"userId":"ops-1","email":"ops-1@acme.example","givenName":"O","familyName":"P","department":"Ops"}"#
            )
            let rule = try #require(
                try await call(
                    .rulesWorker,
                    "POST",
                    "/v1/rules",
                    body:
                        #"{"name":"Ops safety","courseIds":["safety"],"backfill":true,"criteria":{"all":[{"field":"department","op":"eq","value":"Ops"}]}}"#
                ).json.string("ruleId")
            )
            try await call(.rulesWorker, "POST", "/v1/rules/\(rule):activate")

            // The rule's enrollment arrives (rules-worker → lms.enrollment-commands.v1 → enrollment-service).
            @Sendable func ruleEnrollment() async throws -> String? {
                let listed = try await enrollments.send("GET", "/v1/users/ops-1/enrollments", token: admin)
                return listed.json.items.first { $0.string("courseId") == "safety" }?.string("enrollmentId")
            }
            #expect(try await eventually(timeout: .seconds(120)) { try await ruleEnrollment() != nil }, "the rule enrolled ops-1")
            let id = try #require(try await ruleEnrollment())
            let shown = try await enrollments.send("GET", "/v1/enrollments/\(id)", token: learner)
            #expect(shown.json.string("source") == "rule" && shown.json.bool("mandatory") == true, "\(shown.text)")

            let refused = try await enrollments.send("POST", "/v1/enrollments/\(id):withdraw", token: learner, body: #"{"reason":"skip"}"#)
            #expect(refused.status == 403, "\(refused.text)")
            #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(refused.json.string("type")?.hasSuffix("mandatory-enrollment") == true, "\(refused.text)")
            #expect(try await enrollments.send("GET", "/v1/enrollments/\(id)", token: learner).json.string("status") == "active")

            // Admin-assigned and mandatory: refused as well.
            let assigned = try await call(
                .enrollmentService,
                "POST",
                "/v1/courses/safety/enrollments",
                body: #"{"userId":"ops-2","mandatory":true}"#
            )
            let assignedId = try #require(assigned.json.string("enrollmentId"))
            let other = stack.token("ops-2", tenant: "acme", roles: [.learner])
            #expect(try await enrollments.send("POST", "/v1/enrollments/\(assignedId):withdraw", token: other).status == 403)

            // An admin still withdraws a mandatory enrollment.
            let byAdmin = try await call(.enrollmentService, "POST", "/v1/enrollments/\(id):withdraw", body: #"{"reason":"transferred"}"#)
            #expect(byAdmin.json.string("status") == "withdrawn")
        }
    }
}
