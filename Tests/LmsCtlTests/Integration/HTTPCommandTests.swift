import Contracts
import EnrollmentService
import Foundation
import ServiceHTTP
import TestSupport
import Testing
import UserService

/// `lmsctl` run as a subprocess against real user-service and enrollment-service instances.
@Suite("lmsctl against running services", .serialized, .hangGuard)
struct HTTPCommandTests {
    /// Environment that points lmsctl at `service` for `variable`, minting tokens for tenant acme.
    static func environment(_ variable: String, _ service: ServiceHarness) -> [String: String] {
        [variable: service.http.base, "LMS_JWT_SECRET": ServiceHarness.secret]
    }

    @Test func usersImportCreatesUsersAndPrintsPerRowResults() async throws {
        try await ServiceHarness.run(.userService, schemaPrefix: "ctl_users") { service in
            let directory = try LmsCtlProcess.temporaryDirectory()
            let csv = try LmsCtlProcess.write(
                """
                userId,email,givenName,familyName,department
                u-1,ada@example.com,Ada,Lovelace,R&D
                u-2,grace@example.com,Grace,"Hopper, Jr.",Ops

                """, to: "users.csv", in: directory)
            // Settings from an env file, the way scripts/run writes .lms/stack.env.
            let envFile = try LmsCtlProcess.write(
                "LMS_USER_SERVICE_URL=\(service.http.base)\nLMS_JWT_SECRET=\(ServiceHarness.secret)\n", to: "stack.env", in: directory)
            let result = try await LmsCtlProcess.run(["users", "import", csv, "--env-file", envFile, "--tenant", "acme"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let rows = lines.map { $0.split(separator: " ").map(String.init) }
            #expect(rows.contains { $0 == ["1", "u-1", "created"] }, "\(result.stdout)")
            #expect(rows.contains { $0 == ["2", "u-2", "created"] }, "\(result.stdout)")
            #expect(lines.last == "total 2  created 2  updated 0  unchanged 0  rejected 0")
            // Not a terminal: the progress display is plain lines on stderr, ending with a summary.
            #expect(result.stderr.contains("uploading users.csv: sent"), "\(result.stderr)")
            let user = try await service.http.send("GET", "/v1/users/u-2", token: service.admin())
            #expect(user.status == 200)
            #expect(user.json.string("familyName") == "Hopper, Jr.")
        }
    }

    @Test func rejectedRowsPrintTheirFieldErrorsAndExitTwo() async throws {
        try await ServiceHarness.run(.userService, schemaPrefix: "ctl_reject") { service in
            let directory = try LmsCtlProcess.temporaryDirectory()
            let csv = try LmsCtlProcess.write(
                "userId,email,givenName,familyName\nok-1,ok@example.com,Ok,One\nbad-1,,No,Email\n", to: "users.csv", in: directory)
            let result = try await LmsCtlProcess.run(
                ["users", "import", csv, "--tenant", "acme", "--rejected-only"], environment: Self.environment("LMS_USER_SERVICE_URL", service))
            #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
            #expect(!result.stdout.contains("ok-1"), "--rejected-only hides applied rows")
            let rejected = result.stdout.split(separator: "\n").first { $0.contains("bad-1") }.map(String.init) ?? ""
            #expect(rejected.contains("rejected") && rejected.contains("email"), "\(result.stdout)")
            #expect(result.stderr.contains("1 row(s) rejected"))
            #expect(try await service.http.send("GET", "/v1/users/ok-1", token: service.admin()).status == 200)
        }
    }

    @Test func problemsPrintTitleAndFieldErrorsAndExitFourAndUnreachableExitsFive() async throws {
        try await ServiceHarness.run(.enrollmentService, schemaPrefix: "ctl_problem") { service in
            let environment = Self.environment("LMS_ENROLLMENT_SERVICE_URL", service)
            let invalid = try await LmsCtlProcess.run(["courses", "put", "c-1", "--title", "", "--tenant", "acme"], environment: environment)
            #expect(invalid.status == 4, "\(invalid.stderr)")
            let lines = invalid.stderr.split(separator: "\n").map(String.init)
            #expect(lines.first == "error: courses put: 422 Validation failed", "\(invalid.stderr)")
            #expect(lines.contains("  - title: must have 1-512 characters"), "\(invalid.stderr)")

            let wrongTenantToken = service.learner("someone")
            let forbidden = try await LmsCtlProcess.run(
                ["courses", "put", "c-1", "--title", "T", "--token", wrongTenantToken], environment: environment)
            #expect(forbidden.status == 4)
            #expect(forbidden.stderr.contains("403 Forbidden"), "\(forbidden.stderr)")

            let unreachable = try await LmsCtlProcess.run(
                ["courses", "get", "c-1", "--url", "http://127.0.0.1:1", "--tenant", "acme"], environment: environment)
            #expect(unreachable.status == 5, "\(unreachable.stderr)")
            #expect(unreachable.stderr.contains("cannot reach enrollment-service at http://127.0.0.1:1"))

            let usage = try await LmsCtlProcess.run(["courses", "put"], environment: environment)
            #expect(usage.status == 64)
            let noToken = try await LmsCtlProcess.run(["courses", "get", "c-1", "--url", service.http.base])
            #expect(noToken.status == 64 && noToken.stderr.contains("no token"))
        }
    }

    @Test func coursesPutThenBulkEnrollFromCSV() async throws {
        try await ServiceHarness.run(.enrollmentService, schemaPrefix: "ctl_enroll") { service in
            let environment = Self.environment("LMS_ENROLLMENT_SERVICE_URL", service)
            let directory = try LmsCtlProcess.temporaryDirectory()
            let settings = try LmsCtlProcess.write(#"{"title":"Safety 101","waitlist":false}"#, to: "course.json", in: directory)
            let put = try await LmsCtlProcess.run(
                ["courses", "put", "safety", "--file", settings, "--capacity", "2", "--tenant", "acme"], environment: environment)
            #expect(put.status == 0, "\(put.stderr)")
            #expect(put.stdout.contains("Safety 101"))
            #expect(put.stdout.split(separator: "\n").contains { $0.hasPrefix("capacity") && $0.hasSuffix("2") }, "\(put.stdout)")

            let csv = try LmsCtlProcess.write("userId,role,dueAt\ne-1,,2031-01-01\ne-2,learner,\ne-3,,\ne-4,boss,\n", to: "enroll.csv", in: directory)
            let result = try await LmsCtlProcess.run(["enroll", "--course", "safety", csv, "--tenant", "acme"], environment: environment)
            #expect(result.status == 2, "one row has a bad role and one course is full: \(result.stdout)\n\(result.stderr)")
            let rows = result.stdout.split(separator: "\n").map(String.init)
            #expect(rows.contains { $0.contains("e-1") && $0.contains("enrolled") && $0.contains("active") }, "\(result.stdout)")
            #expect(rows.contains { $0.contains("e-4") && $0.contains("rejected") && $0.contains("role") }, "\(result.stdout)")
            #expect(rows.last?.contains("total 4  enrolled 2") == true, "\(result.stdout)")
            let listed = try await service.http.send("GET", "/v1/courses/safety/enrollments", token: service.admin())
            #expect(listed.json.items.map { $0.string("userId") ?? "" }.sorted().prefix(2) == ["e-1", "e-2"])

            let json = try await LmsCtlProcess.run(
                ["enroll", "--course", "safety", csv, "--tenant", "acme", "--json", "--quiet"], environment: environment)
            #expect(json.stderr == "2 row(s) rejected\n", "--quiet leaves only the outcome on stderr: \(json.stderr)")
            let answer = try JSONValue(parsing: Array(json.stdout.utf8))
            #expect(answer["summary"]?.int("alreadyEnrolled") == 2)
        }
    }

    @Test func keysCreatePrintsTheKeyOnceListShowsHintsRevokeRevokes() async throws {
        try await ServiceHarness.run(.enrollmentService, schemaPrefix: "ctl_keys") { service in
            let environment = Self.environment("LMS_ENROLLMENT_SERVICE_URL", service)
            _ = try await LmsCtlProcess.run(
                ["courses", "put", "k-course", "--title", "Keys", "--self-enrollment", "true", "--tenant", "acme"], environment: environment)
            let created = try await LmsCtlProcess.run(
                ["keys", "create", "--course", "k-course", "--label", "spring cohort", "--max-uses", "5", "--tenant", "acme", "--json"],
                environment: environment)
            #expect(created.status == 0, "\(created.stderr)")
            let key = try JSONValue(parsing: Array(created.stdout.utf8))
            let secret = try #require(key.string("key"))
            let keyId = try #require(key.string("keyId"))

            let table = try await LmsCtlProcess.run(["keys", "create", "--course", "k-course", "--tenant", "acme"], environment: environment)
            #expect(table.stdout.split(separator: "\n")[2].hasPrefix("key "), "the secret is the first row: \(table.stdout)")
            #expect(table.stderr.contains("shown only now"))

            let list = try await LmsCtlProcess.run(["keys", "list", "--course", "k-course", "--tenant", "acme"], environment: environment)
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains(keyId) && list.stdout.contains("spring cohort"))
            #expect(!list.stdout.contains(secret), "lists never show the secret")

            let revoke = try await LmsCtlProcess.run(["keys", "revoke", keyId, "--tenant", "acme"], environment: environment)
            #expect(revoke.status == 0, "\(revoke.stderr)")
            let after = try await service.http.send("GET", "/v1/courses/k-course/enrollment-keys", token: service.admin())
            #expect(after.json.items.first { $0.string("keyId") == keyId }?["revoked"] == .bool(true))
            let again = try await LmsCtlProcess.run(["keys", "revoke", UUID().uuidString.lowercased(), "--tenant", "acme"], environment: environment)
            #expect(again.status == 4 && again.stderr.contains("404"), "\(again.stderr)")
        }
    }

    @Test func stackStatusShowsEachServiceAndFailsWhenOneIsDown() async throws {
        try await ServiceHarness.run(.userService, schemaPrefix: "ctl_status") { service in
            var environment = ["LMS_USER_SERVICE_URL": service.http.base]
            for name in ["ENROLLMENT_SERVICE", "RULES_WORKER", "PROGRESS_SERVICE", "REPORT_SERVICE"] {
                environment["LMS_\(name)_URL"] = "http://127.0.0.1:1"
            }
            let result = try await LmsCtlProcess.run(["stack", "status"], environment: environment)
            #expect(result.status == 5, "\(result.stdout)\n\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 7)
            let user = lines.first { $0.hasPrefix("user-service") }.map { $0.split(separator: " ").map(String.init) } ?? []
            #expect(user.count >= 4 && user[1] == service.http.base && user[2] == "ready", "\(result.stdout)")
            #expect(lines.contains { $0.hasPrefix("report-service") && $0.contains("down") })
            #expect(result.stderr.contains("4 of 5 services not ready"))
        }
    }
}
