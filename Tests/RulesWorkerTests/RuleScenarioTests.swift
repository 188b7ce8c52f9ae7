import Contracts
import Foundation
import RulesWorker
import Segments
import ServicePlatform
import TestSupport
import Testing

/// Rules over the projection, driven through the consumer's handler and the job steps.
@Suite("Rule scenarios", .serialized, .hangGuard)
struct RuleScenarioTests {
    static func criteria(_ text: String) throws -> Criteria {
        try Criteria.parse(try JSONValue(parsing: Array(text.utf8)))
    }

    static func definition(
        _ name: String, criteria: Criteria? = nil, segmentId: UUID? = nil, courses: [String], backfill: Bool = true,
        onUnmatch: OnUnmatch = .withdraw, dueInDays: Int? = nil
    ) -> RuleDefinition {
        RuleDefinition(
            name: name, description: nil, segmentId: segmentId, criteria: criteria, courseIds: courses, backfill: backfill, onUnmatch: onUnmatch,
            dueInDays: dueInDays, effectiveFrom: nil, effectiveTo: nil)
    }

    /// Creates and activates a rule, then runs its job to the end.
    static func activeRule(_ definition: RuleDefinition, _ worker: RulesWorkerHarness) async throws -> RuleView {
        let created = try await worker.module.rules.create(tenantId: "acme", definition: definition)
        let activated = try await worker.module.rules.activate(tenantId: "acme", ruleId: created.rule.ruleId)
        try await worker.drainJobs()
        return RuleView(activated)
    }

    @Test func aNewHireIsEnrolledInOrientationWithTheExplanation() async throws {
        try await RulesWorkerHarness.run { worker in
            let rule = try await Self.activeRule(
                Self.definition(
                    "New hires", criteria: try Self.criteria(#"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#),
                    courses: ["orientation"], backfill: false, dueInDays: 14), worker)
            #expect(rule.rule.version == 2)
            let newHire = RulesWorkerHarness.user("new-hire", department: "Sales", hireDate: "2024-06-13")
            let veteran = RulesWorkerHarness.user("veteran", department: "Sales", hireDate: "2019-01-07")
            let event = try RulesWorkerHarness.consumed(newHire)
            try await worker.apply([event, try RulesWorkerHarness.consumed(veteran)])

            let commands = try await worker.outbox(type: .enrollRequested)
            #expect(commands.count == 1)
            let command = try #require(commands.first)
            #expect(command.key == "acme/new-hire")
            let payload = try LMSJSON.decode(EnrollCommand.self, from: try LMSJSON.encode(command.payload))
            #expect(payload.courseId == "orientation")
            #expect(payload.ruleId == rule.rule.ruleId && payload.ruleVersion == 2)
            #expect(payload.dueAt == worker.clock.now().addingTimeInterval(14 * 86_400))
            #expect(payload.idempotencyKey == "\(rule.rule.ruleId.uuidString.lowercased())/v2/new-hire/orientation/enroll/1")
            #expect(payload.explanation.ruleName == "New hires" && payload.explanation.matched)
            #expect(
                payload.explanation.conditions == [
                    ConditionExplanation(field: "hireDate", op: "withinLastDays", expected: 30, actual: "2024-06-13", result: true)
                ])

            // The same event again (a redelivery past the inbox, or a re-publish with a new id) and a
            // stale older version change nothing and emit nothing.
            try await worker.apply([event])
            try await worker.upsert([newHire])
            var stale = newHire
            stale.version = 0
            stale.hireDate = CalendarDate("2010-01-01")
            try await worker.upsert([stale])
            #expect(try await worker.outbox(type: .enrollRequested).count == 1)
            #expect(try await worker.outbox().count == 1)
        }
    }

    @Test func aDepartmentChangeAppliesEachRulesOnUnmatchPolicy() async throws {
        try await RulesWorkerHarness.run { worker in
            let sales = try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#)
            var rules: [OnUnmatch: Rule] = [:]
            for policy in OnUnmatch.allCases {
                let view = try await Self.activeRule(
                    Self.definition("Sales \(policy.rawValue)", criteria: sales, courses: ["sales-\(policy.rawValue)"], onUnmatch: policy), worker)
                rules[policy] = view.rule
            }
            try await worker.upsert([RulesWorkerHarness.user("ann", version: 1, department: "Sales")])
            #expect(
                try await worker.outbox(type: .enrollRequested).compactMap(\.courseId).sorted()
                    == OnUnmatch.allCases.map { "sales-\($0.rawValue)" }.sorted())

            try await worker.upsert([RulesWorkerHarness.user("ann", version: 2, department: "HR")])
            let withdrawals = try await worker.outbox(type: .withdrawRequested)
            let suspensions = try await worker.outbox(type: .suspendRequested)
            #expect(withdrawals.compactMap(\.courseId).sorted() == ["sales-withdraw", "sales-withdrawIfNotStarted"])
            #expect(suspensions.compactMap(\.courseId) == ["sales-suspend"])
            let ifNotStarted = try #require(withdrawals.first { $0.courseId == "sales-withdrawIfNotStarted" })
            #expect(ifNotStarted.payload["onlyIfNotStarted"] == true)
            #expect(withdrawals.first { $0.courseId == "sales-withdraw" }?.payload["onlyIfNotStarted"] == nil)
            #expect(ifNotStarted.payload["explanation"]?["matched"] == false)
            #expect(ifNotStarted.payload["explanation"]?["conditions"]?.arrayValue?.first?["actual"] == "HR")
            let withdrawId = try #require(rules[.withdraw]?.ruleId.uuidString.lowercased())
            #expect(withdrawals.first { $0.courseId == "sales-withdraw" }?.idempotencyKey == "\(withdrawId)/v2/ann/sales-withdraw/withdraw/2")

            // Back to Sales: enrolled again, under new keys.
            try await worker.upsert([RulesWorkerHarness.user("ann", version: 3, department: "Sales")])
            let enrolls = try await worker.outbox(type: .enrollRequested)
            #expect(enrolls.count == 8)
            let keys = try await worker.outbox().compactMap(\.idempotencyKey)
            #expect(Set(keys).count == keys.count, "every command has its own key")
            #expect(enrolls.last { $0.courseId == "sales-withdraw" }?.idempotencyKey == "\(withdrawId)/v2/ann/sales-withdraw/enroll/3")
            // Consumers validate every event against the contract's JSON Schemas: so do we.
            for row in try await worker.outbox() {
                #expect(try JSONSchemaValidator.bundled(for: row.type).validate(row.payload).isEmpty, "\(row.type): \(row.payload)")
            }
        }
    }

    @Test func withoutBackfillOnlyUsersWhoStartMatchingAreEnrolled() async throws {
        try await RulesWorkerHarness.run { worker in
            let existing = (1...5).map { RulesWorkerHarness.user("old-\($0)", department: "Sales") }
            try await worker.upsert(existing)
            let definition = Self.definition(
                "Sales", criteria: try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#), courses: ["c"], backfill: false)
            let draft = try await worker.module.rules.create(tenantId: "acme", definition: definition)
            let firstPreview = try await worker.module.rules.preview(tenantId: "acme", ruleId: draft.rule.ruleId, proposed: nil)
            #expect(firstPreview.wouldEnroll.count == 0 && firstPreview.wouldIgnore.count == 5 && firstPreview.matching == 5)
            let view = try await worker.module.rules.activate(tenantId: "acme", ruleId: draft.rule.ruleId)
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).isEmpty)
            let job = try await worker.module.rules.rule(tenantId: "acme", ruleId: view.rule.ruleId).job
            #expect(job?.status == .completed && job?.counts.ignored == 5 && job?.processed == 5)

            try await worker.upsert([
                RulesWorkerHarness.user("old-1", version: 2, department: "Sales", location: "Oslo"),  // still matching
                RulesWorkerHarness.user("old-2", version: 2, department: "HR"),  // leaves: nothing to undo
                RulesWorkerHarness.user("new-1", department: "Sales"),  // new: enrolled
            ])
            #expect(try await worker.outbox(type: .enrollRequested).compactMap(\.userId) == ["new-1"])
            #expect(try await worker.outbox(type: .withdrawRequested).isEmpty)
            // old-2 matches again later: that is a change, so it is enrolled now.
            try await worker.upsert([RulesWorkerHarness.user("old-2", version: 3, department: "Sales")])
            #expect(try await worker.outbox(type: .enrollRequested).compactMap(\.userId) == ["new-1", "old-2"])
            // Turning backfill on later enrolls the users it had left alone.
            var backfilled = definition
            backfilled.backfill = true
            let preview = try await worker.module.rules.preview(tenantId: "acme", ruleId: view.rule.ruleId, proposed: backfilled)
            #expect(preview.wouldEnroll.sample.map(\.userId) == ["old-1", "old-3", "old-4", "old-5"])
            _ = try await worker.module.rules.update(tenantId: "acme", ruleId: view.rule.ruleId, definition: backfilled)
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).count == 6)
        }
    }

    @Test func changingAndPausingARuleAppliesOnUnmatchAndPreviewForetellsIt() async throws {
        try await RulesWorkerHarness.run { worker in
            let users = ["ann": "Sales", "bob": "Sales", "cyd": "Support", "dan": "HR"]
            try await worker.upsert(users.map { RulesWorkerHarness.user($0.key, department: $0.value) })
            let both = try Self.criteria(#"{"field": "department", "op": "in", "value": ["Sales", "Support"]}"#)
            let view = try await Self.activeRule(Self.definition("Front office", criteria: both, courses: ["c1"]), worker)
            #expect(try await worker.outbox(type: .enrollRequested).compactMap(\.userId).sorted() == ["ann", "bob", "cyd"])

            // Narrowing the criteria and swapping a course: preview first, then the change does exactly that.
            let narrowed = Self.definition(
                "Front office", criteria: try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#), courses: ["c1", "c2"])
            let preview = try await worker.module.rules.preview(tenantId: "acme", ruleId: view.rule.ruleId, proposed: narrowed)
            #expect(preview.wouldEnroll.count == 2 && preview.wouldEnroll.sample.map(\.courseId) == ["c2", "c2"])
            #expect(preview.wouldWithdraw.count == 1 && preview.wouldWithdraw.sample.first?.userId == "cyd")
            #expect(preview.matching == 2 && preview.evaluated == 4)
            #expect(try await worker.outbox().count == 3, "a preview emits nothing")
            let updated = try await worker.module.rules.update(tenantId: "acme", ruleId: view.rule.ruleId, definition: narrowed)
            #expect(updated.rule.version == 3 && updated.job?.reason == "update")
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).filter { $0.courseId == "c2" }.compactMap(\.userId).sorted() == ["ann", "bob"])
            #expect(try await worker.outbox(type: .withdrawRequested).compactMap(\.userId) == ["cyd"])
            let unchanged = try await worker.module.rules.update(tenantId: "acme", ruleId: view.rule.ruleId, definition: narrowed)
            #expect(unchanged.rule.version == 3, "saving the same definition is not a change")

            // Pausing withdraws what the rule enrolled; activating again (with backfill) enrolls again.
            let pausePreview = try await worker.module.rules.pause(tenantId: "acme", ruleId: view.rule.ruleId)
            #expect(pausePreview.rule.status == .paused && !pausePreview.inEffect)
            try await worker.drainJobs()
            let withdrawn = try await worker.outbox(type: .withdrawRequested).compactMap { "\($0.userId ?? "")/\($0.courseId ?? "")" }
            #expect(withdrawn.sorted() == ["ann/c1", "ann/c2", "bob/c1", "bob/c2", "cyd/c1"])
            let reactivation = try await worker.module.rules.preview(tenantId: "acme", ruleId: view.rule.ruleId, proposed: nil)
            #expect(reactivation.wouldEnroll.count == 4 && reactivation.wouldEnroll.users == 2)
            _ = try await worker.module.rules.activate(tenantId: "acme", ruleId: view.rule.ruleId)
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).count == 3 + 2 + 4)
        }
    }

    @Test func aManualWithdrawalExcludesTheUserFromTheRule() async throws {
        try await RulesWorkerHarness.run { worker in
            let sales = try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#)
            try await worker.upsert([RulesWorkerHarness.user("ann", department: "Sales")])
            let view = try await Self.activeRule(Self.definition("Sales", criteria: sales, courses: ["c1"]), worker)
            let ruleRef = "\(view.rule.ruleId.uuidString.lowercased())@v2"
            let rejections = try await worker.applyEnrollments([
                RulesWorkerHarness.withdrawal("c1", by: "admin-7", sourceRef: ruleRef),
                RulesWorkerHarness.withdrawal("c9", by: "rule:\(view.rule.ruleId.uuidString.lowercased())", sourceRef: ruleRef),
            ])
            #expect(rejections.isEmpty)
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).exclusions") == 1)
            #expect(EnrollmentEventHandler.ruleId(fromSourceRef: ruleRef) == view.rule.ruleId)

            // Pausing forgets the withdrawn enrollment without a command; activating again leaves ann out.
            _ = try await worker.module.rules.pause(tenantId: "acme", ruleId: view.rule.ruleId)
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .withdrawRequested).isEmpty)
            #expect(try await worker.module.rules.rule(tenantId: "acme", ruleId: view.rule.ruleId).job?.counts.released == 1)
            _ = try await worker.module.rules.activate(tenantId: "acme", ruleId: view.rule.ruleId)
            try await worker.drainJobs()
            try await worker.upsert([RulesWorkerHarness.user("ann", version: 2, department: "Sales", location: "Rome")])
            #expect(try await worker.outbox(type: .enrollRequested).count == 1, "only the first enrollment")
        }
    }

    @Test func theSweepMovesUsersInAndOutAsDaysPass() async throws {
        try await RulesWorkerHarness.run { worker in
            let window = try Self.criteria(#"{"field": "hireDate", "op": "withinLastDays", "value": 7}"#)
            // Hired two days ago: matches when the rule starts without backfill, so it is left alone (also by the sweep).
            try await worker.upsert([RulesWorkerHarness.user("recent", hireDate: "2024-06-13")])
            let segment = try await worker.module.segments.create(tenantId: "acme", name: "Hired this week", description: nil, criteria: window)
            let view = try await Self.activeRule(
                Self.definition("Welcome week", segmentId: segment.segment.segmentId, courses: ["welcome"], backfill: false), worker)
            // Hired in three days: nobody is enrolled yet.
            try await worker.upsert([RulesWorkerHarness.user("future", hireDate: "2024-06-18")])
            #expect(try await worker.outbox(type: .enrollRequested).isEmpty)
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).rule_matches WHERE state = 'ignored'") == 1)

            worker.clock.advance(days: 3)
            let opened = try await worker.module.sweeper.sweep()
            #expect(Set(opened.map(\.kind)) == [.rule, .segment])
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).compactMap(\.userId) == ["future"])
            let joined = try await worker.outbox(type: .segmentMembershipChanged)
            #expect(joined.map(\.key) == ["acme/recent", "acme/future"])
            #expect(try await worker.module.sweeper.sweep().isEmpty, "once per day")

            worker.clock.advance(days: 8)
            _ = try await worker.module.sweeper.sweep()
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .withdrawRequested).compactMap(\.userId) == ["future"])
            let memberships = try await worker.outbox(type: .segmentMembershipChanged).filter { $0.key == "acme/future" }
            #expect(memberships.map { $0.payload["member"] } == [true, false])
            #expect(memberships.map { $0.payload["version"] } == [1, 2])
            for row in try await worker.outbox() {
                #expect(try JSONSchemaValidator.bundled(for: row.type).validate(row.payload).isEmpty, "\(row.type): \(row.payload)")
            }
            #expect(try await worker.module.rules.rule(tenantId: "acme", ruleId: view.rule.ruleId).job?.reason == "sweep")
        }
    }

    @Test func effectiveWindowsStartAndEndARule() async throws {
        try await RulesWorkerHarness.run { worker in
            try await worker.upsert([RulesWorkerHarness.user("ann", department: "Sales")])
            var definition = Self.definition(
                "Campaign", criteria: try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#), courses: ["c"])
            definition.effectiveFrom = worker.clock.now().addingTimeInterval(86_400)
            definition.effectiveTo = worker.clock.now().addingTimeInterval(3 * 86_400)
            let view = try await Self.activeRule(definition, worker)
            #expect(!view.inEffect)
            #expect(try await worker.outbox().isEmpty)
            try await worker.upsert([RulesWorkerHarness.user("bob", department: "Sales")])
            #expect(try await worker.outbox().isEmpty, "not in effect yet")

            worker.clock.advance(days: 1)
            _ = try await worker.module.sweeper.sweep()
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .enrollRequested).compactMap(\.userId) == ["ann", "bob"])
            worker.clock.advance(days: 2)
            _ = try await worker.module.sweeper.sweep()
            try await worker.drainJobs()
            #expect(try await worker.outbox(type: .withdrawRequested).compactMap(\.userId) == ["ann", "bob"])
        }
    }

    @Test func segmentMembershipsFollowUsersAndErasedUsersLeaveNoPersonalData() async throws {
        try await RulesWorkerHarness.run { worker in
            try await worker.upsert([RulesWorkerHarness.user("ann", department: "Sales"), RulesWorkerHarness.user("bob", department: "HR")])
            let segment = try await worker.module.segments.create(
                tenantId: "acme", name: "Sales", description: "everyone in sales",
                criteria: try Self.criteria(#"{"field": "department", "op": "eq", "value": "Sales"}"#))
            try await worker.drainJobs()
            _ = try await Self.activeRule(Self.definition("Sales", segmentId: segment.segment.segmentId, courses: ["c"]), worker)
            var events = try await worker.outbox(type: .segmentMembershipChanged)
            #expect(events.map(\.key) == ["acme/ann"] && events.first?.payload["member"] == true)

            try await worker.upsert([RulesWorkerHarness.user("bob", version: 2, department: "Sales")])
            let erased = UserLifecycleEvent(tenantId: "acme", userId: "ann", reason: "GDPR", version: 2, occurredAt: RulesWorkerHarness.start)
            try await worker.apply([try RulesWorkerHarness.consumed(erased, type: .lmsUserErased)])
            events = try await worker.outbox(type: .segmentMembershipChanged)
            #expect(
                events.map { "\($0.key) \($0.payload["member"]?.boolValue ?? false) v\(Int($0.payload["version"]?.doubleValue ?? 0))" } == [
                    "acme/ann true v1", "acme/bob true v1", "acme/ann false v2",
                ])
            let leftovers = try await worker.service.count(
                """
                SELECT count(*) FROM \(worker.database.schema).users
                WHERE user_id = 'ann' AND (raw <> '{}' OR v_text <> '{}' OR v_folded <> '{}' OR v_day <> '{}' OR status <> 'erased')
                """)
            #expect(leftovers == 0)
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).rule_matches WHERE user_id = 'ann'") == 0)
            #expect(try await worker.outbox(type: .withdrawRequested).isEmpty, "erasure is enrollment-service's to handle")
            // A late, older snapshot does not bring the erased user's data back.
            try await worker.upsert([RulesWorkerHarness.user("ann", version: 1, department: "Sales")])
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).users WHERE user_id = 'ann' AND raw = '{}'") == 1)
        }
    }
}
