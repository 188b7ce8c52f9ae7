import Contracts
import Foundation
import PostgresNIO
import RulesWorker
import Segments
import ServicePlatform
import TestSupport
import Testing

@Suite("Match transitions", .serialized, .hangGuard)
struct MatchActionTests {
    @Test func transitionTable() {
        // New matches enroll, or are only recorded without backfill.
        #expect(MatchAction.decide(state: nil, wanted: true, excluded: false, enrollNew: true) == .enroll)
        #expect(MatchAction.decide(state: nil, wanted: true, excluded: false, enrollNew: false) == .ignore)
        #expect(MatchAction.decide(state: .unmatched, wanted: true, excluded: false, enrollNew: true) == .enroll)
        // Steady states change nothing.
        #expect(MatchAction.decide(state: .enrolled, wanted: true, excluded: false, enrollNew: true) == nil)
        #expect(MatchAction.decide(state: .ignored, wanted: true, excluded: false, enrollNew: true) == nil)
        // A backfill (not a sweep) also enrolls users recorded as ignored.
        #expect(MatchAction.decide(state: .ignored, wanted: true, excluded: false, enrollNew: true, enrollIgnored: true) == .enroll)
        #expect(MatchAction.decide(state: .ignored, wanted: true, excluded: true, enrollNew: true, enrollIgnored: true) == nil)
        #expect(MatchAction.decide(state: nil, wanted: false, excluded: false, enrollNew: true) == nil)
        #expect(MatchAction.decide(state: .unmatched, wanted: false, excluded: false, enrollNew: true) == nil)
        // Ending matches: onUnmatch for enrollments, silently for ignored users.
        #expect(MatchAction.decide(state: .enrolled, wanted: false, excluded: false, enrollNew: true) == .unmatch)
        #expect(MatchAction.decide(state: .ignored, wanted: false, excluded: false, enrollNew: true) == .release)
        // Exclusions win: never enroll, and a withdrawn enrollment is forgotten without a command.
        #expect(MatchAction.decide(state: nil, wanted: true, excluded: true, enrollNew: true) == nil)
        #expect(MatchAction.decide(state: .enrolled, wanted: true, excluded: true, enrollNew: true) == .release)
        #expect(MatchAction.decide(state: .enrolled, wanted: false, excluded: true, enrollNew: true) == .release)
        #expect(MatchAction.decide(state: .ignored, wanted: true, excluded: true, enrollNew: true) == nil)
        #expect(MatchAction.enroll.state == .enrolled && MatchAction.ignore.state == .ignored)
        #expect(MatchAction.unmatch.state == .unmatched && MatchAction.release.state == .unmatched)
    }

    @Test func idempotencyKeysAreDeterministicAndBounded() {
        let rule = Rule(
            tenantId: "acme", ruleId: UUID(uuidString: "0f8fad5b-d9cb-469f-a165-70867728950e") ?? UUID(),
            definition: RuleScenarioTests.definition("r", courses: ["c"]), status: .active, version: 3, createdAt: RulesWorkerHarness.start,
            updatedAt: RulesWorkerHarness.start)
        let key = RuleCommands.idempotencyKey(rule: rule, userId: "u-1", courseId: "orientation", action: "enroll", seq: 1)
        #expect(key == "0f8fad5b-d9cb-469f-a165-70867728950e/v3/u-1/orientation/enroll/1")
        let long = String(repeating: "x", count: 128)
        let hashed = RuleCommands.idempotencyKey(rule: rule, userId: long, courseId: long, action: "withdraw", seq: 2)
        #expect(hashed.utf8.count <= 256)
        #expect(hashed == RuleCommands.idempotencyKey(rule: rule, userId: long, courseId: long, action: "withdraw", seq: 2))
        #expect(hashed != RuleCommands.idempotencyKey(rule: rule, userId: long, courseId: long + "y", action: "withdraw", seq: 2))
        #expect(RuleCommands.reason(rule) == "Rule \"r\" v3 no longer applies to the user (onUnmatch: withdraw)")
    }

    /// The SQL `CASE` of ``ReconcileQuery`` against ``MatchAction/decide`` on every combination.
    @Test func sqlTransitionsMatchTheTable() async throws {
        try await RulesWorkerHarness.run { worker in
            let now = worker.clock.now()
            let ruleId = UUID()
            let states: [MatchState?] = [nil, .enrolled, .ignored, .unmatched]
            var users: [ProjectedUser] = []
            var records: [MatchRecord] = []
            var exclusions: [Exclusion] = []
            var expectations: [(userId: String, state: MatchState?, wanted: Bool, excluded: Bool)] = []
            for (index, state) in states.enumerated() {
                for wanted in [true, false] {
                    for excluded in [true, false] {
                        let userId = "u-\(index)-\(wanted)-\(excluded)"
                        users.append(ProjectedUser(snapshot: RulesWorkerHarness.user(userId, attributes: ["want": .bool(wanted)])))
                        if let state {
                            records.append(
                                MatchRecord(
                                    key: MatchKey(tenantId: "acme", ruleId: ruleId, userId: userId, courseId: "c-1"), state: state, ruleVersion: 1,
                                    seq: 1))
                        }
                        if excluded {
                            exclusions.append(
                                Exclusion(
                                    key: ExclusionKey(tenantId: "acme", userId: userId, courseId: "c-1"), ruleId: ruleId, enrollmentId: UUID(),
                                    actor: "admin-1", reason: nil))
                        }
                        expectations.append((userId, state, wanted, excluded))
                    }
                }
            }
            try await worker.database.transaction { [users, records, exclusions] connection in
                try await worker.module.repositories.users.upsert(users, now: now, on: connection)
                try await worker.module.repositories.matches.saveMatches(records, now: now, on: connection)
                try await worker.module.repositories.matches.addExclusions(exclusions, now: now, on: connection)
            }
            let criteria = try Criteria.parse(["field": "attributes.want", "op": "eq", "value": true])
            let rule = Rule(
                tenantId: "acme", ruleId: ruleId, definition: RuleScenarioTests.definition("r", criteria: criteria, courses: ["c-1"]),
                status: .active,
                version: 2, createdAt: now, updatedAt: now)
            for (enrollNew, enrollIgnored) in [(true, true), (true, false), (false, false)] {
                for inEffect in [true, false] {
                    let query = ReconcileQuery(
                        rule: rule, criteria: CompiledCriteria(criteria), inEffect: inEffect, enrollNew: enrollNew, enrollIgnored: enrollIgnored,
                        today: CalendarDate(now))
                    let actions = try await worker.database.transaction { connection in
                        var actions: [String: MatchAction] = [:]
                        let rows = try await connection.query(query.step(after: nil, upTo: "zzz").query, logger: worker.database.logger)
                        for try await (user, _, action, _) in rows.decode((String, String, String, Int32).self) {
                            actions[user] = MatchAction(rawValue: action)
                        }
                        return actions
                    }
                    for expectation in expectations {
                        let expected = MatchAction.decide(
                            state: expectation.state, wanted: expectation.wanted && inEffect, excluded: expectation.excluded, enrollNew: enrollNew,
                            enrollIgnored: enrollIgnored)
                        #expect(
                            actions[expectation.userId] == expected,
                            "\(expectation) inEffect=\(inEffect) enrollNew=\(enrollNew) enrollIgnored=\(enrollIgnored)")
                    }
                }
            }
        }
    }
}
