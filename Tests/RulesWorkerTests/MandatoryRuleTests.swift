import Contracts
import Foundation
import PostgresNIO
import Segments
import ServicePlatform
import Testing

@testable import RulesWorker

/// The rule option `mandatory` (security review M2): rule enrollments are mandatory unless the rule
/// says otherwise, the enroll command carries the flag, and a learner's own withdrawal is no exclusion.
@Suite("Mandatory rules", .serialized, .timeLimit(.minutes(3)))
struct MandatoryRuleTests {
    private static let everyone = #"{"field": "department", "op": "eq", "value": "Sales"}"#

    @Test func enrollCommandsCarryTheRulesMandatoryOption() async throws {
        try await RulesTest.withWorker { database, parts, _ in
            try await RulesTest.apply([try RulesTest.consumed(RulesTest.user("ann", department: "Sales"))], parts, database)
            let criteria = try RuleScenarioTests.criteria(Self.everyone)
            let required = try await RuleScenarioTests.activeRule(
                RuleScenarioTests.definition("Required", criteria: criteria, courses: ["c-required"]),
                parts,
                database
            )
            var optionalDefinition = RuleScenarioTests.definition("Optional", criteria: criteria, courses: ["c-optional"])
            optionalDefinition.mandatory = false
            let optional = try await RuleScenarioTests.activeRule(optionalDefinition, parts, database)
            #expect(required.rule.mandatory && !optional.rule.mandatory)
            // Stored and read back.
            #expect(try await parts.service.rule(tenantId: "acme", ruleId: optional.rule.ruleId).rule.mandatory == false)

            let commands = try await RulesTest.outbox(database, type: .enrollRequested)
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
        try await RulesTest.withWorker { database, parts, clock in
            let ruleRef = "\(UUID().uuidString.lowercased())@v2"
            func withdrawn(by actor: String, course: String) -> EnrollmentSnapshot {
                EnrollmentSnapshot(
                    enrollmentId: UUID(),
                    tenantId: "acme",
                    courseId: course,
                    userId: "ann",
                    role: .learner,
                    status: .withdrawn,
                    source: .rule,
                    sourceRef: ruleRef,
                    enrolledAt: clock.now(),
                    cycle: 1,
                    version: 2,
                    transition: StatusTransition(from: .active, to: .withdrawn, reason: "not for me", actor: actor),
                    mandatory: false
                )
            }
            let own = withdrawn(by: "ann", course: "c1")
            let byAdmin = withdrawn(by: "admin-7", course: "c2")
            #expect(EnrollmentEventsHandler.exclusion(from: own) == nil)
            #expect(EnrollmentEventsHandler.exclusion(from: byAdmin) != nil)
            let rejections = try await database.transaction { connection in
                try await parts.enrollmentEvents.handle(
                    [
                        try RulesTest.consumed(own, type: .enrollmentStatusChanged),
                        try RulesTest.consumed(byAdmin, type: .enrollmentStatusChanged),
                    ],
                    on: connection
                )
            }
            #expect(rejections.isEmpty)
            #expect(try await RulesTest.count(database, "SELECT count(*) FROM \(database.schema).exclusions WHERE course_id = 'c1'") == 0)
            #expect(try await RulesTest.count(database, "SELECT count(*) FROM \(database.schema).exclusions WHERE course_id = 'c2'") == 1)
        }
    }
}
