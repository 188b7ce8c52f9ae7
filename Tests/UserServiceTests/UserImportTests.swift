import Contracts
import Foundation
import TestSupport
import Testing

/// `POST /v1/users:import`: exact per-row results for good, bad and duplicate rows, file-level
/// errors, and a 100,000-row import.
/// The time limit only guards against a hang: the 100,000-row test shares two cores with every
/// other suite in `scripts/test` and took 290–330 s there (its speed is lms-bench's to measure).
@Suite("CSV import", .serialized, .timeLimit(.minutes(15)))
struct UserImportTests {
    @Test func importReturnsExactPerRowResults() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            let existing =
                #"{"userId":"e-1","email":"e1@example.com","givenName":"Eve","familyName":"One","department":"Ops","attributes":{"costCenter":"CC-1"}}"#
            #expect(try await http.send("POST", "/v1/users", token: admin, body: existing).status == 201)
            let same = #"{"userId":"e-2","email":"e2@example.com","givenName":"Eve","familyName":"Two","department":"Ops"}"#
            #expect(try await http.send("POST", "/v1/users", token: admin, body: same).status == 201)
            #expect(
                try await http.send(
                    "POST", "/v1/users", token: admin, body: #"{"userId":"gone","email":"g@example.com","givenName":"G","familyName":"O"}"#
                ).status == 201)
            #expect(try await http.send("DELETE", "/v1/users/gone", token: admin).status == 204)

            let csv =
                [
                    "User ID,email,Given Name,family_name,department,hireDate,costCenter,attributes.level",
                    "n-1,n1@example.com,Nia,New,Sales,2024-03-01,CC-9,2",  // 1 created
                    "n-2,not-an-email,Nia,Bad,Sales,2024-13-01,,",  // 2 rejected: email and hireDate
                    ",x@example.com,No,Id,Sales,,,",  // 3 rejected: no userId
                    "e-1,e1@example.com,Eve,One,R&D,,,",  // 4 updated: department, costCenter removed
                    "e-2,e2@example.com,Eve,Two,Ops,,,",  // 5 unchanged
                    "n-1,n1@example.com,Nia,New,Support,2024-03-01,CC-9,2",  // 6 duplicate of row 1: later row wins
                    "n-3,n3@example.com,Too,Short",  // 7 rejected: cell count
                    "\"n-4\",n4@example.com,\"Quote \"\"Q\"\" Person\",Comma,\"Research, Labs\nBerlin\",,,",  // 8 created (quotes, comma, newline)
                    "n-5,,No,Email,Sales,,,",  // 9 rejected: empty required cell
                    "gone,g@example.com,G,O,Sales,,,",  // 10 rejected: erased user
                    "n-6,only-new@example.com,,Given,Sales,,,",  // 11 rejected: empty givenName
                ].joined(separator: "\r\n") + "\r\n"
            let answer = try await http.send("POST", "/v1/users:import", token: admin, body: csv, contentType: "text/csv; charset=utf-8")
            #expect(answer.status == 200, "\(answer.text)")
            let report = try LMSJSON.decode(ImportAnswer.self, from: Array(answer.text.utf8))
            #expect(report.counts == ImportAnswer.Counts(total: 11, created: 2, updated: 2, unchanged: 1, rejected: 6))
            #expect(report.results.map(\.row) == Array(1...11))
            #expect(report.results.map(\.userId) == ["n-1", "n-2", nil, "e-1", "e-2", "n-1", "n-3", "n-4", "n-5", "gone", "n-6"])
            #expect(
                report.results.map(\.result)
                    == [
                        "created", "rejected", "rejected", "updated", "unchanged", "updated", "rejected", "created", "rejected", "rejected",
                        "rejected",
                    ])
            #expect(
                report.results.map { $0.errors?.map(\.field) ?? [] } == [
                    [], ["email", "hireDate"], ["userId"], [], [], [], ["row"], [], ["email"], ["userId"], ["givenName"],
                ])
            #expect(report.results[0].errors == nil, "accepted rows carry no errors member")

            let n1 = try #require(try await harness.user("n-1"))
            #expect(n1.department == "Support" && n1.hireDate == "2024-03-01" && n1.version == 2)
            #expect(n1.attributes == ["costCenter": "CC-9", "level": "2"], "extra columns are string attributes")
            let e1 = try #require(try await harness.user("e-1"))
            #expect(e1.department == "R&D" && e1.attributes == [:] && e1.version == 2)
            let n4 = try #require(try await harness.user("n-4"))
            #expect(n4.givenName == "Quote \"Q\" Person" && n4.department == "Research, Labs\nBerlin")
            #expect(try await harness.user("n-2") == nil)
            #expect(try await harness.user("n-3") == nil)
            #expect(try await harness.user("gone")?.status == "erased")
            #expect(try await harness.history("n-1").map(\.origin) == ["import", "import"])

            // Each applied row was published, in file order per user.
            let n1Events = await harness.log.waitFor(.users, key: "acme/n-1") { $0.count >= 2 }
            #expect(n1Events.compactMap(\.snapshot).map(\.department) == ["Sales", "Support"])
            let e2Events = await harness.log.waitFor(.users, key: "acme/e-2", timeout: .seconds(3)) { $0.count > 1 }
            #expect(e2Events.count == 1, "the unchanged row published nothing")
        }
    }

    /// Chunks of 2,000 rows: a user seen again in a later chunk is read back from the
    /// transaction (the import holds one chunk's users in memory), so its rows still apply in order.
    @Test func aUserRepeatedInALaterChunkAppliesOnTopOfItsEarlierRow() async throws {
        try await UserServiceHarness.run { harness in
            var csv = ["userId,email,givenName,familyName,department,jobRole", "d-1,d1@example.com,Dee,One,Sales,"]
            csv += (2...2_400).map { "f-\($0),f\($0)@example.com,F,Iller,Ops," }
            csv += ["d-1,d1@example.com,Dee,One,Sales,Lead", "d-1,d1@example.com,Dee,One,Sales,Lead"]
            let answer = try await harness.http.send(
                "POST", "/v1/users:import", token: harness.token(), body: csv.joined(separator: "\n"), contentType: "text/csv")
            #expect(answer.status == 200, "\(answer.text)")
            let report = try LMSJSON.decode(ImportAnswer.self, from: Array(answer.text.utf8))
            #expect(report.counts == ImportAnswer.Counts(total: 2_402, created: 2_400, updated: 1, unchanged: 1, rejected: 0))
            #expect(report.results.suffix(2).map(\.result) == ["updated", "unchanged"])
            let d1 = try #require(try await harness.user("d-1"))
            #expect(d1.department == "Sales" && d1.jobRole == "Lead" && d1.version == 2)
        }
    }

    @Test func unreadableFilesAreRefusedAsAWhole() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            func post(_ csv: String, type: String = "text/csv") async throws -> HTTPProbe.Answer {
                try await http.send("POST", "/v1/users:import", token: admin, body: csv, contentType: type)
            }
            let noUserId = try await post("email,givenName,familyName\na@b.co,A,B\n")
            #expect(noUserId.status == 422 && noUserId.errorFields == ["header"])
            let reserved = try await post("userId,status,email,,email\n")
            #expect(reserved.status == 422 && reserved.errorFields == ["header[2]", "header[4]", "header[5]"])
            let unterminated = try await post("userId,email\n\"u-1,a@b.co\n")
            #expect(unterminated.status == 400 && unterminated.errorFields == ["body"])
            #expect(unterminated.text.contains("line 2"))
            #expect(try await post("").status == 422)
            #expect(try await post(#"{"userId":"u-1"}"#, type: "application/json").status == 415)
            let headerOnly = try await post("userId,email,givenName,familyName\n")
            #expect(headerOnly.status == 200 && headerOnly.json["results"]?.arrayValue != nil)
            #expect(try await harness.count("SELECT count(*)::int FROM users") == 0)
        }
    }

    @Test func importsOneHundredThousandRows() async throws {
        try await UserServiceHarness.run { harness in
            let rows = 100_000
            var csv = "userId,email,givenName,familyName,jobRole,department,location,hireDate,managerId,costCenter,site\n"
            csv.reserveCapacity(rows * 130)
            for index in 0..<rows {
                csv += "bulk-\(index),bulk.\(index)@example.com,Given\(index),Family\(index),Engineer,Dept \(index % 40),"
                csv += "City \(index % 17),2021-0\(index % 9 + 1)-1\(index % 9),mgr-\(index % 500),CC-\(index % 60),\"Site, \(index % 7)\"\n"
            }
            let started = ContinuousClock.now
            let answer = try await harness.http.send(
                "POST", "/v1/users:import", token: harness.token(), body: csv, contentType: "text/csv")
            let elapsed = ContinuousClock.now - started
            #expect(answer.status == 200, "\(answer.text.prefix(500))")
            let counts = (try? LMSJSON.decode(ImportAnswer.self, from: Array(answer.text.utf8)))?.counts
            #expect(counts == ImportAnswer.Counts(total: rows, created: rows, updated: 0, unchanged: 0, rejected: 0))
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "user-service import: \(rows) rows (\(csv.utf8.count / 1024) KiB) in \(String(format: "%.2f", seconds)) s = \(Int(Double(rows) / seconds)) rows/s"
            )
            #expect(try await harness.count("SELECT count(*)::int FROM users") == rows)
            #expect(try await harness.count("SELECT count(*)::int FROM user_history") == rows)
            #expect(try await harness.count("SELECT count(*)::int FROM outbox_copies") == rows)
        }
    }
}
