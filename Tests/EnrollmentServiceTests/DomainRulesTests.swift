import Contracts
import EnrollmentService
import Foundation
import ServiceHTTP
import ServicePlatform
import TestSupport
import Testing

/// The pure rules: the status machine, seat accounting, profile requirements, CSV, batch rounds, secrets.
@Suite("Enrollment domain rules")
struct DomainRulesTests {
    @Test(arguments: [
        (LifecycleCommand.withdraw, EnrollmentStatus.active, LifecycleRules.Decision.moveTo(.withdrawn)),
        (.withdraw, .waitlisted, .moveTo(.withdrawn)),
        (.withdraw, .suspended, .moveTo(.withdrawn)),
        (.withdraw, .withdrawn, .unchanged),
        (.suspend(nil), .active, .moveTo(.suspended)),
        (.suspend(nil), .suspended, .unchanged),
        (.reactivate, .suspended, .moveTo(.active)),
        (.reactivate, .withdrawn, .needsSeat),
        (.reactivate, .expired, .needsSeat),
        (.reactivate, .active, .unchanged),
        (.complete(at: Date(timeIntervalSince1970: 0)), .active, .moveTo(.completed)),
        (.complete(at: Date(timeIntervalSince1970: 0)), .suspended, .moveTo(.completed)),
        (.complete(at: Date(timeIntervalSince1970: 0)), .completed, .unchanged),
        (.expire, .active, .moveTo(.expired)),
        (.expire, .completed, .unchanged),
        (.withdraw, .completed, .refused("a completed enrollment cannot be withdrawn")),
        (.suspend(nil), .waitlisted, .refused("only an active enrollment can be suspended; this one is waitlisted")),
        (.reactivate, .completed, .refused("a completed enrollment cannot be reactivated")),
    ])
    func statusMachineDecides(command: LifecycleCommand, from status: EnrollmentStatus, expected: LifecycleRules.Decision) {
        #expect(LifecycleRules.decide(command, from: status, cause: nil) == expected)
    }

    @Test func restoreLiftsOnlyItsOwnCause() {
        #expect(LifecycleRules.decide(.restore(.userDeactivated), from: .suspended, cause: .userDeactivated) == .moveTo(.active))
        #expect(LifecycleRules.decide(.restore(.userDeactivated), from: .suspended, cause: nil) == .unchanged)
        #expect(LifecycleRules.decide(.restore(.userDeactivated), from: .suspended, cause: .rule) == .unchanged)
        #expect(LifecycleRules.decide(.restore(.userDeactivated), from: .active, cause: nil) == .unchanged)
    }

    @Test func seatLedgerFillsSeatsThenWaitlistsOrRefuses() {
        let withWaitlist = CourseKey(tenantId: "acme", courseId: "c1")
        let without = CourseKey(tenantId: "acme", courseId: "c2")
        func settings(_ key: CourseKey, waitlist: Bool) -> CourseSettings {
            CourseSettings(
                tenantId: key.tenantId,
                courseId: key.courseId,
                title: "t",
                capacity: 2,
                waitlist: waitlist,
                selfEnrollment: .init(enabled: false),
                modules: [],
                version: 1,
                updatedAt: Date()
            )
        }
        var ledger = SeatLedger(
            courses: [withWaitlist: settings(withWaitlist, waitlist: true), without: settings(without, waitlist: false)],
            taken: [withWaitlist: 1]
        )
        #expect(ledger.claim(withWaitlist, role: .learner, mayWaitlist: true) == .active)
        #expect(ledger.claim(withWaitlist, role: .learner, mayWaitlist: true) == .waitlisted)
        #expect(ledger.claim(withWaitlist, role: .learner, mayWaitlist: false) == .full)
        #expect(ledger.claim(withWaitlist, role: .instructor, mayWaitlist: true) == .active, "instructors need no seat")
        #expect(ledger.claim(without, role: .learner, mayWaitlist: true) == .active)
        #expect(ledger.claim(without, role: .learner, mayWaitlist: true) == .active)
        #expect(ledger.claim(without, role: .learner, mayWaitlist: true) == .full)
        ledger.release(without)
        #expect(ledger.freeSeats(in: ledger.released) == [without: 1])
    }

    @Test func profileRequirementsUseAnswersThenTheKnownProfile() throws {
        let result = ProfileRequirements.resolve(
            required: ["department", "email", "attributes.costCenter"],
            submitted: ["department": "Sales", "attributes": ["costCenter": 4711]],
            known: ["email": "ada@example.com", "department": "Old"]
        )
        #expect(result == .answered(["department": "Sales", "email": "ada@example.com", "attributes.costCenter": 4711]))
    }

    @Test func profileRequirementsNameEachMissingOrInvalidField() {
        let result = ProfileRequirements.resolve(
            required: ["department", "email", "hireDate", "location"],
            submitted: ["department": "  ", "email": "not-an-email", "hireDate": "2024-02-30"],
            known: [:]
        )
        guard case .invalid(let errors) = result else {
            Issue.record("expected failures")
            return
        }
        #expect(errors.map(\.field) == ["profile.department", "profile.email", "profile.hireDate", "profile.location"])
        #expect(errors[0].message.contains("required"))
        #expect(errors[1].message.contains("email"))
    }

    @Test func knownProfileFields() {
        #expect(ProfileRequirements.isKnownField("department"))
        #expect(ProfileRequirements.isKnownField("attributes.shift"))
        #expect(!ProfileRequirements.isKnownField("attributes."))
        #expect(!ProfileRequirements.isKnownField("salary"))
    }

    @Test func csvHandlesQuotesBlankLinesAndByteOrderMark() throws {
        let text = "\u{FEFF}userId,role\r\n\"u,1\",learner\n\n\"say \"\"hi\"\"\",instructor\n\"multi\nline\",\nlast"
        let records = try CSVReader.records(Array(text.utf8))
        #expect(records.map(\.fields) == [["userId", "role"], ["u,1", "learner"], ["say \"hi\"", "instructor"], ["multi\nline", ""], ["last"]])
        #expect(records.map(\.line) == [1, 2, 4, 5, 7])
        #expect(throws: CSVSyntaxError(line: 2, message: "a quoted field is not closed")) { try CSVReader.records(Array("a\n\"open,b\n".utf8)) }
    }

    @Test func batchRoundsKeepEachKeysOrder() {
        let rounds = BatchRounds.split([("a", 1), ("b", 1), ("a", 2), ("a", 3), ("c", 1)], by: \.0)
        #expect(rounds.map { $0.map { "\($0.0)\($0.1)" } } == [["a1", "b1", "c1"], ["a2"], ["a3"]])
    }

    @Test func secretsAreRandomNormalizedAndComparedByHash() {
        let key = SecretToken.newKey()
        #expect(key.count == 19 && key.split(separator: "-").count == 4)
        #expect(SecretToken.newKey() != key)
        #expect(
            SecretToken.hash(SecretToken.normalizedKey(key.lowercased().replacingOccurrences(of: "-", with: " ")))
                == SecretToken.hash(key.replacingOccurrences(of: "-", with: ""))
        )
        #expect(SecretToken.constantTimeEquals(SecretToken.hash("a"), SecretToken.hash("a")))
        #expect(!SecretToken.constantTimeEquals(SecretToken.hash("a"), SecretToken.hash("b")))
        #expect(SecretToken.newLinkToken().count == 43)
    }
}
