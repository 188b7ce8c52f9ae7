import Contracts
import Foundation
import PostgresNIO
import RulesWorker
import Segments
import ServicePlatform
import TestSupport
import Testing

/// The SQL translation of criteria and the in-memory evaluator must agree on every user: the
/// bulk paths (preview, backfill, sweep) use the first, the consumer the second.
@Suite("Criteria: SQL translation agrees with the evaluator", .serialized, .hangGuard)
struct CriteriaSQLParityTests {
    /// SplitMix64, so a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
    }

    static let leaves: [String] = [
        #"{"field": "department", "op": "eq", "value": "Sales"}"#,
        #"{"field": "department", "op": "eq", "value": "sales", "ignoreCase": true}"#,
        #"{"field": "department", "op": "neq", "value": "Sales"}"#,
        #"{"field": "department", "op": "in", "value": ["Sales", "R&D"]}"#,
        #"{"field": "department", "op": "notIn", "value": ["Sales", "R&D"]}"#,
        #"{"field": "department", "op": "in", "value": []}"#,
        #"{"field": "department", "op": "notIn", "value": []}"#,
        #"{"field": "department", "op": "in", "value": ["ärzte"], "ignoreCase": true}"#,
        #"{"field": "department", "op": "exists"}"#,
        #"{"field": "department", "op": "notExists"}"#,
        #"{"field": "department", "op": "gt", "value": "M"}"#,
        #"{"field": "department", "op": "lte", "value": "Sales"}"#,
        #"{"field": "department", "op": "gte", "value": "r", "ignoreCase": true}"#,
        #"{"field": "location", "op": "contains", "value": "er"}"#,
        #"{"field": "location", "op": "startsWith", "value": "Be"}"#,
        #"{"field": "location", "op": "endsWith", "value": "n"}"#,
        #"{"field": "location", "op": "endsWith", "value": "LIN", "ignoreCase": true}"#,
        #"{"field": "location", "op": "contains", "value": "ü"}"#,
        #"{"field": "email", "op": "endsWith", "value": "@acme.example"}"#,
        #"{"field": "status", "op": "eq", "value": "active"}"#,
        #"{"field": "status", "op": "in", "value": ["deactivated"]}"#,
        #"{"field": "hireDate", "op": "withinLastDays", "value": 30}"#,
        #"{"field": "hireDate", "op": "olderThanDays", "value": 365}"#,
        #"{"field": "hireDate", "op": "before", "value": "2024-01-01"}"#,
        #"{"field": "hireDate", "op": "after", "value": "2024-06-01T23:30:00-05:00"}"#,
        #"{"field": "hireDate", "op": "eq", "value": "2024-06-10"}"#,
        #"{"field": "hireDate", "op": "in", "value": ["2024-06-10", "2023-01-01"]}"#,
        #"{"field": "hireDate", "op": "gte", "value": "2024-03-01"}"#,
        #"{"field": "hireDate", "op": "notExists"}"#,
        #"{"field": "attributes.level", "op": "gt", "value": 5}"#,
        #"{"field": "attributes.level", "op": "lte", "value": 5.5}"#,
        #"{"field": "attributes.level", "op": "eq", "value": 5}"#,
        #"{"field": "attributes.level", "op": "eq", "value": "5"}"#,
        #"{"field": "attributes.level", "op": "neq", "value": 5}"#,
        #"{"field": "attributes.level", "op": "in", "value": [1, "05", true]}"#,
        #"{"field": "attributes.level", "op": "gt", "value": "3"}"#,
        #"{"field": "attributes.level", "op": "startsWith", "value": "1"}"#,
        #"{"field": "attributes.level", "op": "exists"}"#,
        #"{"field": "attributes.remote", "op": "eq", "value": true}"#,
        #"{"field": "attributes.remote", "op": "neq", "value": false}"#,
        #"{"field": "attributes.remote", "op": "eq", "value": "TRUE", "ignoreCase": true}"#,
        #"{"field": "attributes.start", "op": "before", "value": "2024-03-01"}"#,
        #"{"field": "attributes.start", "op": "after", "value": "2024-03-01"}"#,
        #"{"field": "attributes.start", "op": "withinLastDays", "value": 120}"#,
        #"{"field": "attributes.start", "op": "olderThanDays", "value": 100}"#,
        #"{"field": "attributes.start", "op": "gt", "value": "2024-03-01"}"#,
        #"{"field": "attributes.start", "op": "eq", "value": "2024-03-01"}"#,
        #"{"field": "attributes.tag", "op": "lt", "value": "a"}"#,
        #"{"field": "attributes.tag", "op": "contains", "value": "Ä", "ignoreCase": true}"#,
        #"{"field": "attributes.tag", "op": "eq", "value": "Ren\u00e9"}"#,
        #"{"field": "attributes.tag", "op": "notIn", "value": ["Zed", 7]}"#,
        #"{"field": "userId", "op": "startsWith", "value": "u-1"}"#,
    ]

    static let departments: [String?] = ["Sales", "sales", "SALES", "R&D", "HR", "Ärzte", "ärzte", "Marketing", "", nil]
    static let locations: [String?] = ["Berlin", "BERLIN", "München", "Bern", "Paris", "Oslo", nil]
    static let levels: [AttributeValue?] = [1, 5, 5.5, 7, 10, -2, "5", "05", "5.0", "1e1", "ten", true, false, nil]
    static let remotes: [AttributeValue?] = [true, false, "true", "TRUE", "false", 1, nil]
    static let starts: [AttributeValue?] = [
        "2024-02-29", "2024-03-01", "2024-03-02", "2024-03-01T23:30:00-05:00", "2024-03-01T01:00:00+02:00", "2023-12-31",
        "2024-06-14T22:00:00Z", "not a date", "2024-02-30", 20_240_301, nil,
    ]
    static let tags: [AttributeValue?] = ["Zed", "a", "é", "Ren\u{e9}", "Rene\u{301}", "ÄRZTE", "Prüfer", "7", 7, "a\u{0}b", nil]

    static func users(count: Int, seed: UInt64) -> [UserSnapshot] {
        var random = Generator(state: seed)
        return (0..<count).map { index in
            var attributes: [String: AttributeValue] = [:]
            if let level = levels.randomElement(using: &random) ?? nil { attributes["level"] = level }
            if let remote = remotes.randomElement(using: &random) ?? nil { attributes["remote"] = remote }
            if let start = starts.randomElement(using: &random) ?? nil { attributes["start"] = start }
            if let tag = tags.randomElement(using: &random) ?? nil { attributes["tag"] = tag }
            let offset = Int.random(in: -500...40, using: &random)
            let hireDate = Bool.random(using: &random) ? CalendarDate(RulesWorkerHarness.start).adding(days: offset).description : nil
            return RulesWorkerHarness.user(
                "u-\(index)", department: departments.randomElement(using: &random) ?? nil, hireDate: hireDate,
                location: locations.randomElement(using: &random) ?? nil, attributes: attributes,
                status: Int.random(in: 0..<5, using: &random) == 0 ? .deactivated : .active)
        }
    }

    static func criteria(seed: UInt64, count: Int) throws -> [Criteria] {
        let leaves = try Self.leaves.map { try Criteria.parse(try JSONValue(parsing: Array($0.utf8))) }
        var random = Generator(state: seed)
        var result = leaves
        func node(_ depth: Int) -> Criteria {
            let pick = depth > 2 ? 0 : Int.random(in: 0..<4, using: &random)
            switch pick {
            case 1: return .all((0..<Int.random(in: 0...3, using: &random)).map { _ in node(depth + 1) })
            case 2: return .any((1...Int.random(in: 1...3, using: &random)).map { _ in node(depth + 1) })
            case 3: return .not(node(depth + 1))
            default: return leaves[Int.random(in: 0..<leaves.count, using: &random)]
            }
        }
        for _ in 0..<count { result.append(node(0)) }
        return result
    }

    @Test func everyCriterionSelectsTheSameUsersInSQLAndInMemory() async throws {
        try await RulesWorkerHarness.run { worker in
            let snapshots = Self.users(count: 400, seed: 42)
            let users = snapshots.map(ProjectedUser.init(snapshot:))
            try await worker.database.transaction { connection in
                try await worker.module.repositories.users.upsert(users, now: worker.clock.now(), on: connection)
            }
            // What the evaluator sees is what was stored (the storage round trip loses nothing).
            let stored = try await worker.database.client.withConnection { connection in
                try await worker.module.repositories.users.values(tenantId: "acme", userIds: users.map(\.userId), on: connection)
            }
            for user in users { #expect(stored[user.userId] == user.values, "\(user.userId)") }

            let today = CalendarDate(worker.clock.now())
            var disagreements: [String] = []
            for criteria in try Self.criteria(seed: 7, count: 150) {
                let compiled = CompiledCriteria(criteria)
                let expected = Set(users.filter { compiled.matches($0.values, today: today) }.map(\.userId))
                var query = DynamicQuery()
                let tenant = query.bind("acme")
                let condition = query.criteria(compiled, today: today)
                query.append("SELECT user_id FROM users WHERE tenant_id = \(tenant)::text AND \(condition)")
                var selected = Set<String>()
                for try await user in try await worker.database.client.query(query.query, logger: worker.database.logger).decode(String.self) {
                    selected.insert(user)
                }
                if selected != expected {
                    disagreements.append(
                        "\(criteria.json): SQL-only \(selected.subtracting(expected).sorted().prefix(5)), memory-only \(expected.subtracting(selected).sorted().prefix(5))"
                    )
                }
            }
            #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        }
    }
}
