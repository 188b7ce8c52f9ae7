import Contracts
import EnrollmentService
import Foundation
import PostgresNIO
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// Mandatory enrollments (security review M2): a learner cannot withdraw itself from a rule-assigned
/// or admin-assigned mandatory enrollment, and its own withdrawal is never a rule exclusion.
@Suite("Mandatory enrollments", .serialized, .hangGuard)
struct MandatoryEnrollmentTests {
    private static let ruleId = UUID()

    /// An enroll command of the test rule; `mandatory` as the rule says (absent: the contract's default).
    private func enroll(_ user: String, key: String, version: Int64 = 1, mandatory: Bool? = nil) throws -> CloudEvent {
        try CloudEvent.make(
            EnrollCommand(
                tenantId: "acme",
                userId: user,
                courseId: "compliance",
                ruleId: Self.ruleId,
                ruleVersion: version,
                explanation: RuleExplanation(ruleId: Self.ruleId, ruleVersion: version, ruleName: "Everyone", matched: true, conditions: []),
                idempotencyKey: key,
                mandatory: mandatory
            ),
            source: "/lms/rules-worker"
        )
    }

    private func enrollmentId(of user: String, _ service: EnrollmentHarness) async throws -> String {
        let listed = try await service.http.send("GET", "/v1/users/\(user)/enrollments", token: service.admin())
        return try #require(listed.json.items.first?.string("enrollmentId"), "\(listed.text)")
    }

    private func withdraw(_ id: String, token: String, _ service: EnrollmentHarness) async throws -> HTTPProbe.Answer {
        try await service.http.send("POST", "/v1/enrollments/\(id):withdraw", token: token, body: #"{"reason":"not for me"}"#)
    }

    /// The latest `lms.enrollment.*` payload in the outbox for this enrollment.
    private func lastEvent(of id: String, _ service: EnrollmentHarness) async throws -> EnrollmentSnapshot? {
        let events = try await service.harness.outbox(.enrollments, as: EnrollmentSnapshot.self)
        return events.last { $0.payload.enrollmentId.uuidString.lowercased() == id }?.payload
    }

    @Test func learnerCannotWithdrawFromARuleEnrollment() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("compliance")
            // Commands without the flag (from producers that predate it) and with it are both mandatory.
            #expect(
                try await service.deliver(
                    [try enroll("l1", key: "k-l1"), try enroll("l2", key: "k-l2", mandatory: true)],
                    to: service.module.commandHandler
                ).isEmpty
            )
            for user in ["l1", "l2"] {
                let id = try await enrollmentId(of: user, service)
                let shown = try await service.http.send("GET", "/v1/enrollments/\(id)", token: service.learner(user))
                #expect(shown.json.bool("mandatory") == true, "\(shown.text)")
                #expect(try await lastEvent(of: id, service)?.mandatory == true, "the created event carries the flag")

                let refused = try await withdraw(id, token: service.learner(user), service)
                #expect(refused.status == 403, "\(refused.text)")
                #expect(refused.header("Content-Type")?.hasPrefix("application/problem+json") == true)
                #expect(refused.json.string("type")?.hasSuffix("mandatory-enrollment") == true)
                #expect(refused.json.string("title") == "Mandatory enrollment")
                #expect(refused.json.string("detail")?.contains("only an admin or the course's instructors") == true)
                #expect(try await service.enrollment(id)?.status == .active, "the enrollment stays active")
            }
            #expect(try await service.count("SELECT count(*)::int FROM rule_exclusions") == 0)

            // An admin still withdraws it, and that keeps its documented meaning: the rule does not
            // enroll the learner in this course again.
            let l1 = try await enrollmentId(of: "l1", service)
            let byAdmin = try await withdraw(l1, token: service.admin(), service)
            #expect(byAdmin.status == 200 && byAdmin.json.string("status") == "withdrawn", "\(byAdmin.text)")
            #expect(try await service.count("SELECT count(*)::int FROM rule_exclusions WHERE user_id = 'l1'") == 1)
            #expect(try await service.deliver([try enroll("l1", key: "k-l1-v2", version: 2)], to: service.module.commandHandler).isEmpty)
            #expect(try await service.enrollment(l1)?.status == .withdrawn)
        }
    }

    @Test func learnerWithdrawalOfANonMandatoryRuleEnrollmentIsNoExclusion() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("compliance")
            #expect(
                try await service.deliver([try enroll("l1", key: "k-l1", mandatory: false)], to: service.module.commandHandler).isEmpty
            )
            let id = try await enrollmentId(of: "l1", service)
            #expect(try await service.enrollment(id)?.mandatory == false)

            let withdrawn = try await withdraw(id, token: service.learner("l1"), service)
            #expect(withdrawn.status == 200 && withdrawn.json.string("status") == "withdrawn", "\(withdrawn.text)")
            #expect(try await service.count("SELECT count(*)::int FROM rule_exclusions") == 0, "a learner's own withdrawal excludes nothing")

            // The rule matching again (a new command) enrolls the learner again.
            #expect(
                try await service.deliver([try enroll("l1", key: "k-l1-v2", version: 2, mandatory: false)], to: service.module.commandHandler)
                    .isEmpty
            )
            #expect(try await service.enrollment(id)?.status == .active)
        }
    }

    @Test func adminAssignedMandatoryEnrollments() async throws {
        try await EnrollmentHarness.run { service in
            let admin = service.admin()
            try await service.putCourse("compliance")
            let mandatory = try await service.enroll(#"{"userId":"l1","mandatory":true}"#, in: "compliance", token: admin)
            #expect(mandatory.status == 201 && mandatory.json.bool("mandatory") == true, "\(mandatory.text)")
            let id = try #require(mandatory.json.string("enrollmentId"))
            let refused = try await withdraw(id, token: service.learner("l1"), service)
            #expect(refused.status == 403 && refused.json.string("type")?.hasSuffix("mandatory-enrollment") == true, "\(refused.text)")
            #expect(try await service.enrollment(id)?.status == .active)

            // Admin-assigned enrollments are optional unless the admin says so.
            let optional = try await service.enroll(#"{"userId":"l2"}"#, in: "compliance", token: admin)
            #expect(optional.json.bool("mandatory") == false, "\(optional.text)")
            // Enrolling again with mandatory makes the existing enrollment mandatory (lms.enrollment.updated).
            let again = try await service.enroll(#"{"userId":"l2","mandatory":true}"#, in: "compliance", token: admin)
            #expect(again.status == 200 && again.json.bool("mandatory") == true, "\(again.text)")
            let l2 = try #require(again.json.string("enrollmentId"))
            #expect(try await lastEvent(of: l2, service)?.mandatory == true)

            // PATCH changes the flag: admins and the course's instructors, never the learner.
            let byLearner = try await service.http.send("PATCH", "/v1/enrollments/\(id)", token: service.learner("l1"), body: #"{"mandatory":false}"#)
            #expect(byLearner.status == 403, "\(byLearner.text)")
            let relaxed = try await service.http.send(
                "PATCH",
                "/v1/enrollments/\(id)",
                token: admin,
                body: #"{"mandatory":false,"reason":"exempt"}"#
            )
            #expect(relaxed.status == 200 && relaxed.json.bool("mandatory") == false, "\(relaxed.text)")
            #expect(try await lastEvent(of: id, service)?.mandatory == false, "lms.enrollment.updated carries the change")
            let history = try await service.http.send("GET", "/v1/enrollments/\(id)", token: admin).json["history"]?.arrayValue ?? []
            #expect(history.last?.string("reason") == "no longer mandatory: exempt")
            let left = try await withdraw(id, token: service.learner("l1"), service)
            #expect(left.status == 200 && left.json.string("status") == "withdrawn", "\(left.text)")
            let badFlag = try await service.http.send("PATCH", "/v1/enrollments/\(l2)", token: admin, body: #"{"mandatory":"yes"}"#)
            #expect(badFlag.status == 400 || badFlag.status == 422, "\(badFlag.text)")

            // An instructor of the course may withdraw a mandatory enrollment.
            _ = try await service.enroll(#"{"userId":"teacher","role":"instructor"}"#, in: "compliance", token: admin)
            let byInstructor = try await withdraw(l2, token: service.token("teacher", roles: [.instructor]), service)
            #expect(byInstructor.status == 200 && byInstructor.json.string("status") == "withdrawn", "\(byInstructor.text)")
        }
    }

    @Test func bulkImportsSetTheFlagPerRow() async throws {
        try await EnrollmentHarness.run { service in
            try await service.putCourse("compliance")
            let csv = "userId,mandatory\nb1,true\nb2,\nb3,maybe\n"
            let answer = try await service.http.send(
                "POST",
                "/v1/courses/compliance/enrollments:bulk",
                token: service.admin(),
                body: csv,
                contentType: "text/csv"
            )
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json.items.map { $0.string("result") } == ["enrolled", "enrolled", "rejected"])
            #expect(answer.json.items.last?.string("reason") == "mandatory must be true or false")
            let json = try await service.http.send(
                "POST",
                "/v1/courses/compliance/enrollments:bulk",
                token: service.admin(),
                body: #"[{"userId":"b4","mandatory":true}]"#
            )
            #expect(json.status == 200, "\(json.text)")
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE mandatory") == 2)
            #expect(try await service.count("SELECT count(*)::int FROM enrollments WHERE mandatory AND user_id IN ('b1', 'b4')") == 2)
        }
    }

    /// Migration 104: enrollments that exist when it runs are mandatory exactly when a rule made them.
    @Test func theMigrationMakesExistingRuleEnrollmentsMandatory() async throws {
        let url = try ServiceHarness.testDatabaseURL()
        let logger = ServiceHarness.testLogger("mandatory-migration")
        let schema = "enrmig_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let before = ServiceDatabase(
            url: url,
            schema: schema,
            migrations: EnrollmentMigrations.all.filter { $0.version < 104 },
            logger: logger,
            maxConnections: 2
        )
        try await withRunning([before], logger: logger) {
            try await before.ready()
            try await before.transaction { connection in
                try await connection.query(
                    """
                    INSERT INTO courses (tenant_id, course_id, title, version, created_at, updated_at)
                    VALUES ('acme', 'c1', 'C', 1, now(), now())
                    """,
                    logger: logger
                )
                try await connection.query(
                    """
                    INSERT INTO enrollments (enrollment_id, tenant_id, course_id, user_id, cycle, role, status, source, enrolled_at,
                                             status_changed_at, version)
                    SELECT gen_random_uuid(), 'acme', 'c1', s.source || '-user', 1, 'learner', 'active', s.source, now(), now(), 1
                    FROM unnest(ARRAY['rule', 'manual', 'self', 'import', 'api']) AS s(source)
                    """,
                    logger: logger
                )
                // Exclusions from before: one by a learner's own withdrawal, one by an admin's.
                try await connection.query(
                    """
                    INSERT INTO rule_exclusions (tenant_id, rule_id, course_id, user_id, enrollment_id, actor, created_at)
                    VALUES ('acme', gen_random_uuid(), 'c1', 'quitter', gen_random_uuid(), 'quitter', now()),
                           ('acme', gen_random_uuid(), 'c1', 'excluded', gen_random_uuid(), 'admin-acme', now())
                    """,
                    logger: logger
                )
            }
        }
        let after = ServiceDatabase(url: url, schema: schema, migrations: EnrollmentMigrations.all, logger: logger, maxConnections: 2)
        try await withRunning([after], logger: logger) {
            try await after.ready()
            let rows = try await after.client.query("SELECT source, mandatory FROM enrollments ORDER BY source", logger: logger)
            var flags: [String: Bool] = [:]
            for try await (source, mandatory) in rows.decode((String, Bool).self) { flags[source] = mandatory }
            #expect(flags == ["api": false, "import": false, "manual": false, "rule": true, "self": false])
            var excluded: [String] = []
            for try await user in try await after.client.query("SELECT user_id FROM rule_exclusions", logger: logger).decode(String.self) {
                excluded.append(user)
            }
            #expect(excluded == ["excluded"], "a learner's own earlier withdrawal no longer excludes it")
            try await after.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"), logger: logger)
        }
    }
}
