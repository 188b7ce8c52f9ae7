import Contracts
import Foundation
import ServiceHTTP
import TestSupport
import Testing

/// The admin API over a real socket: every endpoint, roles, tenant walls, problem+json errors and
/// the events each write publishes.
@Suite("User admin API", .serialized, .hangGuard)
struct UserAPITests {
    private static let ada = #"""
        {"userId":"u-1","email":"ada@example.com","givenName":"Ada","familyName":"Lovelace","jobRole":"Engineer",
         "department":"R&D","location":"London","hireDate":"2020-01-15","managerId":"m-1","attributes":{"level":3,"remote":true}}
        """#

    @Test func createReadReplacePatchAndListUsers() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http

            let created = try await http.send("POST", "/v1/users", token: admin, body: Self.ada)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.header("Location") == "/v1/users/u-1")
            #expect(created.json.string("email") == "ada@example.com")
            #expect(created.json.string("status") == "active" && created.json.int("version") == 1)
            #expect(created.json.string("tenantId") == "acme")
            #expect(created.json["attributes"]?.int("level") == 3)

            let duplicate = try await http.send("POST", "/v1/users", token: admin, body: Self.ada)
            #expect(duplicate.status == 409 && duplicate.header("Content-Type") == "application/problem+json")

            let read = try await http.send("GET", "/v1/users/u-1", token: admin)
            #expect(read.status == 200 && read.json.string("hireDate") == "2020-01-15")

            // PATCH: merge patch semantics, with the merge-patch media type.
            let patched = try await http.send(
                "PATCH",
                "/v1/users/u-1",
                token: admin,
                body: #"{"location":"Berlin","jobRole":null,"attributes":{"remote":null,"badge":"gold"}}"#,
                contentType: "application/merge-patch+json"
            )
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched.json.string("location") == "Berlin" && patched.json["jobRole"] == nil)
            #expect(patched.json.string("department") == "R&D" && patched.json.int("version") == 2)
            let attributes = patched.json["attributes"]?.objectValue ?? [:]
            #expect(attributes.count == 2 && attributes["level"]?.doubleValue == 3 && attributes["badge"]?.stringValue == "gold")
            let samePatch = try await http.send(
                "PATCH",
                "/v1/users/u-1",
                token: admin,
                body: #"{"location":"Berlin"}"#,
                contentType: "application/merge-patch+json"
            )
            #expect(samePatch.status == 200 && samePatch.json.int("version") == 2, "a patch that changes nothing keeps the version")

            // PUT replaces the whole profile (fields left out are cleared) or creates.
            let replaced = try await http.send(
                "PUT",
                "/v1/users/u-1",
                token: admin,
                body: #"{"email":"ada@lovelace.org","givenName":"Ada","familyName":"Lovelace"}"#
            )
            #expect(replaced.status == 200 && replaced.json["department"] == nil && replaced.json.int("version") == 3)
            #expect(replaced.json["attributes"]?.objectValue?.isEmpty == true)
            let upserted = try await http.send(
                "PUT",
                "/v1/users/u-2",
                token: admin,
                body: #"{"email":"grace@example.com","givenName":"Grace","familyName":"Hopper","department":"Navy"}"#
            )
            #expect(upserted.status == 201 && upserted.header("Location") == "/v1/users/u-2")

            // Ids with characters that need percent-encoding in a path segment.
            let odd = try await http.send(
                "PUT",
                "/v1/users/emp%2F42:x",
                token: admin,
                body: #"{"email":"odd@example.com","givenName":"O","familyName":"D"}"#
            )
            #expect(odd.status == 201 && odd.json.string("userId") == "emp/42:x")
            #expect(odd.header("Location") == "/v1/users/emp%2F42%3Ax")
            #expect(try await http.send("POST", "/v1/users/emp%2F42:x:deactivate", token: admin).json.string("status") == "deactivated")
            #expect(try await http.send("GET", "/v1/users/emp%2F42%3Ax", token: admin).json.string("status") == "deactivated")

            // List: filters, default statuses, stable order by userId and cursor pagination.
            for index in 3...7 {
                let body =
                    #"{"userId":"u-\#(index)","email":"u\#(index)@example.com","givenName":"U","familyName":"\#(index)","department":"\#(index % 2 == 0 ? "Ops" : "Navy")","location":"Paris"}"#
                #expect(try await http.send("POST", "/v1/users", token: admin, body: body).status == 201)
            }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let path = "/v1/users?location=Paris&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await http.send("GET", path, token: admin)
                #expect(page.status == 200, "\(page.text)")
                seen += page.json.items.compactMap { $0.string("userId") }
                cursor = page.json.string("nextCursor")
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == ["u-3", "u-4", "u-5", "u-6", "u-7"] && pages == 3)
            let navy = try await http.send("GET", "/v1/users?department=Navy", token: admin)
            #expect(navy.json.items.compactMap { $0.string("userId") } == ["u-2", "u-3", "u-5", "u-7"])
            let deactivatedOnly = try await http.send("GET", "/v1/users?status=deactivated", token: admin)
            #expect(deactivatedOnly.json.items.compactMap { $0.string("userId") } == ["emp/42:x"])
            let badStatus = try await http.send("GET", "/v1/users?status=retired", token: admin)
            #expect(badStatus.status == 400 && badStatus.errorFields == ["status"])
            #expect(try await http.send("GET", "/v1/users?limit=0", token: admin).errorFields == ["limit"])
            #expect(try await http.send("GET", "/v1/users?cursor=garbage", token: admin).errorFields == ["cursor"])

            // Every write above published its event; writes that changed nothing published none.
            let u1 = await harness.log.waitFor(.users, key: "acme/u-1") { $0.count >= 3 }
            #expect(u1.compactMap(\.snapshot).map(\.version) == [1, 2, 3])
            #expect(u1.dropFirst().first?.snapshot?.changedFields == ["jobRole", "location", "attributes.badge", "attributes.remote"])
            let history = try await harness.history("u-1")
            #expect(history.map(\.action) == ["created", "updated", "updated"])
            #expect(history.allSatisfy { $0.actor == "admin-1" && $0.origin == "api" })

            let openAPI = try await http.send("GET", "/openapi.json")
            for path in ["/v1/users", "/v1/users/{userId}", "/v1/users/{userId}:deactivate", "/v1/users/{userId}:reactivate", "/v1/users:import"] {
                #expect(openAPI.text.contains("\"\(path)\""), "OpenAPI documents \(path)")
            }
        }
    }

    @Test func lifecycleAndEraseThroughTheAPI() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            #expect(try await http.send("POST", "/v1/users", token: admin, body: Self.ada).status == 201)

            let deactivated = try await http.send("POST", "/v1/users/u-1:deactivate", token: admin, body: #"{"reason":"on leave"}"#)
            #expect(deactivated.status == 200 && deactivated.json.string("status") == "deactivated")
            let again = try await http.send("POST", "/v1/users/u-1:deactivate", token: admin)
            #expect(again.status == 200 && again.json.int("version") == 2, "repeating changes nothing")
            let reactivated = try await http.send("POST", "/v1/users/u-1:reactivate", token: admin)
            #expect(reactivated.status == 200 && reactivated.json.string("status") == "active" && reactivated.json.int("version") == 3)
            let badReason = try await http.send("POST", "/v1/users/u-1:deactivate", token: admin, body: #"{"reason":5,"why":"x"}"#)
            #expect(badReason.status == 422 && badReason.errorFields == ["why", "reason"])
            let wrongMethod = try await http.send("GET", "/v1/users/u-1:deactivate", token: admin)
            #expect(wrongMethod.status == 405 && wrongMethod.header("Content-Type") == "application/problem+json")
            #expect(wrongMethod.header("Allow") == "POST")

            #expect(try await http.send("DELETE", "/v1/users/u-1?reason=GDPR", token: admin).status == 204)
            let tombstone = try await http.send("GET", "/v1/users/u-1", token: admin)
            #expect(tombstone.status == 200 && tombstone.json.string("status") == "erased")
            #expect(tombstone.json["email"] == nil && tombstone.json["givenName"] == nil && tombstone.json["department"] == nil)
            #expect(try await http.send("DELETE", "/v1/users/u-1", token: admin).status == 204, "erasing again changes nothing")
            #expect(try await http.send("PATCH", "/v1/users/u-1", token: admin, body: #"{"location":"x"}"#).status == 409)
            #expect(
                try await http.send("PUT", "/v1/users/u-1", token: admin, body: #"{"email":"a@b.co","givenName":"A","familyName":"B"}"#).status == 409
            )
            #expect(try await http.send("POST", "/v1/users", token: admin, body: Self.ada).status == 409)
            #expect(try await http.send("POST", "/v1/users/u-1:reactivate", token: admin).status == 409)
            #expect(try await http.send("DELETE", "/v1/users/nobody", token: admin).status == 404)
            #expect(try await http.send("POST", "/v1/users/nobody:deactivate", token: admin).status == 404)
            #expect(
                (try await http.send("GET", "/v1/users", token: admin).json["items"]?.arrayValue)?.isEmpty == true,
                "tombstones are not listed by default"
            )
            let listed = try await http.send("GET", "/v1/users?status=erased", token: admin)
            #expect(listed.json.items.compactMap { $0.string("userId") } == ["u-1"])

            let history = try await harness.history("u-1")
            #expect(history.map(\.action) == ["created", "deactivated", "reactivated", "erased"])
            #expect(history.allSatisfy { $0.changes == nil })
            #expect(history.map(\.reason) == [nil, nil, nil, "GDPR"])

            let events = await harness.log.waitFor(.users, key: "acme/u-1") { $0.count >= 4 }
            #expect(events.map(\.eventType) == ["lms.user.upserted", "lms.user.deactivated", "lms.user.reactivated", "lms.user.erased"])
            #expect(events.compactMap(\.lifecycle).map(\.reason) == ["on leave", nil, "GDPR"])
            #expect(events.compactMap(\.lifecycle).map(\.version) == [2, 3, 4])
        }
    }

    @Test func validationErrorsAreProblemsNamingTheField() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            let invalid = try await http.send(
                "POST",
                "/v1/users",
                token: admin,
                body: #"{"userId":"","email":"nope","familyName":"L","hireDate":"2024-02-30","managerId":"","attributes":{"tags":[1]},"shoeSize":44}"#
            )
            #expect(invalid.status == 422)
            #expect(invalid.header("Content-Type") == "application/problem+json")
            #expect(invalid.json.string("type") == "https://lms.example/problems/validation")
            #expect(invalid.errorFields.sorted() == ["attributes.tags", "email", "givenName", "hireDate", "managerId", "shoeSize", "userId"])

            let malformed = try await http.send("POST", "/v1/users", token: admin, body: #"{"userId": "u-1", "#)
            #expect(malformed.status == 400 && malformed.header("Content-Type") == "application/problem+json")
            #expect(malformed.errorFields == ["body"])
            let notAnObject = try await http.send("POST", "/v1/users", token: admin, body: "[1,2]")
            #expect(notAnObject.status == 422 && notAnObject.errorFields == ["body"])

            #expect(try await http.send("POST", "/v1/users", token: admin, body: Self.ada).status == 201)
            let clearRequired = try await http.send(
                "PATCH",
                "/v1/users/u-1",
                token: admin,
                body: #"{"email":null,"givenName":""}"#,
                contentType: "application/merge-patch+json"
            )
            #expect(clearRequired.status == 422 && clearRequired.errorFields == ["email"])
            let unknownField = try await http.send("PATCH", "/v1/users/u-1", token: admin, body: #"{"nickname":"A"}"#)
            #expect(unknownField.status == 422 && unknownField.errorFields == ["nickname"])
            let renamed = try await http.send("PATCH", "/v1/users/u-1", token: admin, body: #"{"userId":"u-9"}"#)
            #expect(renamed.status == 422 && renamed.errorFields == ["userId"])
            let wrongType = try await http.send("PATCH", "/v1/users/u-1", token: admin, body: #"{"location":"x"}"#, contentType: "text/plain")
            #expect(wrongType.status == 415 && wrongType.header("Content-Type") == "application/problem+json")
            let badPut = try await http.send("PUT", "/v1/users/u-1", token: admin, body: #"{"email":"a@b.co","givenName":"A"}"#)
            #expect(badPut.status == 422 && badPut.errorFields == ["familyName"])
            let unchanged = try #require(try await harness.user("u-1"))
            #expect(unchanged.version == 1 && unchanged.email == "ada@example.com", "refused writes change nothing")
        }
    }

    @Test func rolesAndTenantWallsOnEveryEndpoint() async throws {
        try await UserServiceHarness.run { harness in
            let http = harness.http
            let adminA = harness.token(tenant: "acme")
            let adminB = harness.token(tenant: "globex", subject: "admin-b")
            let serviceA = harness.token(tenant: "acme", roles: [.service], scopes: [.usersWrite], subject: "hr-sync")
            let learnerA = harness.token(tenant: "acme", roles: [.learner], subject: "u-1")
            #expect(try await http.send("POST", "/v1/users", token: adminA, body: Self.ada).status == 201)

            // Another tenant's user does not exist for globex.
            #expect(try await http.send("GET", "/v1/users/u-1", token: adminB).status == 404)
            #expect(try await http.send("PATCH", "/v1/users/u-1", token: adminB, body: #"{"location":"x"}"#).status == 404)
            #expect(try await http.send("POST", "/v1/users/u-1:deactivate", token: adminB).status == 404)
            #expect(try await http.send("POST", "/v1/users/u-1:reactivate", token: adminB).status == 404)
            #expect(try await http.send("DELETE", "/v1/users/u-1", token: adminB).status == 404)
            #expect((try await http.send("GET", "/v1/users", token: adminB).json["items"]?.arrayValue)?.isEmpty == true)
            // globex may use the same userId for its own person; acme's stays untouched.
            #expect(
                try await http.send("POST", "/v1/users", token: adminB, body: Self.ada.replacingOccurrences(of: "R&D", with: "Sales")).status == 201
            )
            #expect(
                try await http.send("PUT", "/v1/users/u-1", token: adminB, body: #"{"email":"g@globex.com","givenName":"G","familyName":"X"}"#)
                    .status == 200
            )
            let imported = try await http.send(
                "POST",
                "/v1/users:import",
                token: adminB,
                body: "userId,email,givenName,familyName\nu-1,i@globex.com,I,M\n",
                contentType: "text/csv"
            )
            #expect(imported.status == 200 && imported.text.contains("\"updated\""))
            let acme = try #require(try await harness.user("u-1", tenant: "acme"))
            #expect(acme.email == "ada@example.com" && acme.department == "R&D" && acme.version == 1)
            #expect(try await harness.user("u-1", tenant: "globex")?.email == "i@globex.com")
            #expect((try await http.send("GET", "/v1/users", token: adminA).json["items"]?.arrayValue)?.count == 1)

            // Roles: service may create, replace and patch; only admins read, change status, erase, import.
            let byService = try await http.send("POST", "/v1/users", token: serviceA, body: Self.ada.replacingOccurrences(of: "u-1", with: "s-1"))
            #expect(byService.status == 201)
            #expect(
                try await http.send("PUT", "/v1/users/s-1", token: serviceA, body: #"{"email":"s@example.com","givenName":"S","familyName":"S"}"#)
                    .status == 200
            )
            #expect(try await http.send("PATCH", "/v1/users/s-1", token: serviceA, body: #"{"location":"Oslo"}"#).status == 200)
            for (method, path) in [
                ("GET", "/v1/users/s-1"), ("GET", "/v1/users"), ("DELETE", "/v1/users/s-1"), ("POST", "/v1/users/s-1:deactivate"),
                ("POST", "/v1/users/s-1:reactivate"),
            ] {
                #expect(try await http.send(method, path, token: serviceA).status == 403, "\(method) \(path) needs admin")
            }
            #expect(try await http.send("POST", "/v1/users:import", token: serviceA, body: "userId\n", contentType: "text/csv").status == 403)
            #expect(try await http.send("GET", "/v1/users/u-1", token: learnerA).status == 403)
            #expect(try await http.send("POST", "/v1/users", token: learnerA, body: Self.ada).status == 403)
            let anonymous = try await http.send("GET", "/v1/users/u-1")
            #expect(anonymous.status == 401 && anonymous.header("Content-Type") == "application/problem+json")
        }
    }

    @Test func concurrentWritesOfOneNewUserAllApplyInOrder() async throws {
        try await UserServiceHarness.run { harness in
            let admin = harness.token()
            let http = harness.http
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 1...8 {
                    group.addTask {
                        let body = #"{"email":"race@example.com","givenName":"Race","familyName":"Condition","location":"L\#(index)"}"#
                        return try await http.send("PUT", "/v1/users/racer", token: admin, body: body).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 200, 200, 200, 200, 200, 200, 201], "one creates, the others lose the race and update")
            let stored = try #require(try await harness.user("racer"))
            #expect(stored.version == 8)
            #expect(try await harness.history("racer").map(\.version) == Array(1...8))
            let events = await harness.log.waitFor(.users, key: "acme/racer") { $0.count >= 8 }
            #expect(events.compactMap(\.snapshot).map(\.version) == Array(1...8), "published in commit order")
            #expect(events.last?.snapshot?.location == stored.location)
        }
    }
}
