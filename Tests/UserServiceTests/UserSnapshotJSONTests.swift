import Contracts
import Foundation
import Testing
import UserService

/// `UserSnapshot.jsonText` (the bulk path's encoder) must say exactly what `LMSJSON.encode` says.
@Suite("lms.user.upserted JSON")
struct UserSnapshotJSONTests {
    static let samples: [UserSnapshot] = [
        UserSnapshot(
            tenantId: "acme", userId: "u-1", email: "ada@example.com", givenName: "Quote \" back\\slash /", familyName: "Tab\tNew\nLine\u{01}",
            jobRole: "Ingénieure 🚀", department: "R&D", location: "Zürich", hireDate: CalendarDate("2020-02-29"), managerId: "m-1",
            attributes: ["level": 3, "ratio": 2.5, "tiny": -0.0000001, "huge": 1e21, "remote": true, "off": false, "name": "x\"y", "é": "ü"],
            status: .active, changedFields: ["email", "attributes.level"], version: 7,
            updatedAt: Date(timeIntervalSince1970: 1_700_000_000.123456)),
        UserSnapshot(
            tenantId: "acme", userId: "emp/42:x", email: "b@example.com", givenName: "", familyName: "B", status: .deactivated,
            changedFields: [], version: 1, updatedAt: Date(timeIntervalSince1970: 0)),
        UserSnapshot(tenantId: "acme", userId: "gone", status: .erased, changedFields: ["status"], version: 12, updatedAt: Date()),
    ]

    @Test(arguments: samples)
    func matchesTheSharedEncoderAndTheSchema(_ snapshot: UserSnapshot) throws {
        let fast = Array(snapshot.jsonText.utf8)
        #expect(try JSONValue(parsing: fast) == JSONValue(parsing: try LMSJSON.encode(snapshot)))
        let event = CloudEvent(source: "/lms/user-service", type: .lmsUserUpserted, subject: snapshot.userId, tenantId: "acme", data: fast)
        #expect(try event.schemaViolations().isEmpty)
        var expected = snapshot
        expected.updatedAt = RFC3339.roundedToMilliseconds(snapshot.updatedAt)
        #expect(try event.decodePayload(UserSnapshot.self) == expected)
    }
}
