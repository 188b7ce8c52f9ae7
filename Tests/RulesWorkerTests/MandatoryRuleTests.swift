import Contracts
import Foundation
import RulesWorker
import Segments
import ServicePlatform
import TestSupport
import Testing

/// The rule option `mandatory` (security review M2): rule enrollments are mandatory unless the rule
/// says otherwise, the enroll command carries the flag, and a learner's own withdrawal is no exclusion.
@Suite("Mandatory rules", .serialized, .hangGuard)
struct MandatoryRuleTests {
    private static let everyone = #"{"field": "department", "op": "eq", "value": "Sales"}"#

    @Test func enrollCommandsCarryTheRulesMandatoryOption() async throws {
        try await RulesWorkerHarness.run { worker in
            try await worker.upsert([RulesWorkerHarness.user("ann", department: "Sales")])
            let criteria = try RuleScenarioTests.criteria(Self.everyone)
            let required = try await RuleScenarioTests.activeRule(
                RuleScenarioTests.definition("Required", criteria: criteria, courses: ["c-required"]),
                worker
            )
            var optionalDefinition = RuleScenarioTests.definition("Optional", criteria: criteria, courses: ["c-optional"])
            optionalDefinition.mandatory = false
            let optional = try await RuleScenarioTests.activeRule(optionalDefinition, worker)
            #expect(required.rule.mandatory && !optional.rule.mandatory)
            // Stored and read back.
            #expect(try await worker.module.rules.rule(tenantId: "acme", ruleId: optional.rule.ruleId).rule.mandatory == false)

            let commands = try await worker.outbox(type: .enrollRequested)
            let byCourse = Dictionary(
                uniqueKeysWithValues: try commands.map { row in
                    let command = try LMSJSON.decode(EnrollCommand.self, from: try LMSJSON.encode(row.payload))
                    return (command.courseId, command.mandatory)
                }
            )
            #expect(byCourse == ["c-required": true, "c-optional": false])

            // The API shows the option.
            let view = try JSONValue(parsing: try LMSJSON.encode(optional))
            #expect(view["mandatory"] == .bool(false))
        }
    }

    @Test func theOptionDefaultsToMandatoryAndMustBeABoolean() async throws {
        func definition(_ json: String) async throws -> RuleDefinition {
            let input = try JSONDecoder().decode(RuleInput.self, from: Data(json.utf8))
            return try await input.definition(segmentExists: { _ in false })
        }
        let base = #""name":"r","criteria":\#(Self.everyone),"courseIds":["c"]"#
        #expect(try await definition("{\(base)}").mandatory == true)
        #expect(try await definition(#"{\#(base),"mandatory":false}"#).mandatory == false)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RuleInput.self, from: Data(#"{\#(base),"mandatory":"no"}"#.utf8)) }
    }

    @Test func aLearnersOwnWithdrawalIsNoExclusion() async throws {
        try await RulesWorkerHarness.run { worker in
            let ruleRef = "\(UUID().uuidString.lowercased())@v2"
            let own = RulesWorkerHarness.withdrawal("c1", by: "ann", sourceRef: ruleRef, mandatory: false)
            let byAdmin = RulesWorkerHarness.withdrawal("c2", by: "admin-7", sourceRef: ruleRef, mandatory: false)
            #expect(EnrollmentEventHandler.exclusion(from: own) == nil)
            #expect(EnrollmentEventHandler.exclusion(from: byAdmin) != nil)
            let rejections = try await worker.applyEnrollments([own, byAdmin])
            #expect(rejections.isEmpty)
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).exclusions WHERE course_id = 'c1'") == 0)
            #expect(try await worker.service.count("SELECT count(*) FROM \(worker.database.schema).exclusions WHERE course_id = 'c2'") == 1)
        }
    }
}
