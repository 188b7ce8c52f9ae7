import Contracts
import Foundation
import PostgresNIO
import ProgressService
import ServicePlatform
import TestSupport
import Testing

@Suite("Progress: activity ingestion", .hangGuard)
struct ActivityIngestionTests {
    @Test func duplicateStatementsAreIgnored() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("dup", modules: ["a", "b"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "dup"))
            let statement = UUID()
            let first = try h.activity("u1", course: "dup", module: "a", .completed, seconds: 300, statementId: statement)
            // The same statement twice in one batch, then again (redelivery), then re-sent by the
            // player under a new event id: one statement.
            try await h.activities([first, first])
            try await h.activities([first])
            try await h.activities([try h.activity("u1", course: "dup", module: "a", .completed, seconds: 300, statementId: statement)])
            let answer = try await h.progress(id).json
            #expect(answer.int("timeSpentSeconds") == 300)
            #expect(answer.double("percent") == 50)
            #expect(try await h.service.count("SELECT count(*)::int FROM statements") == 1)
            #expect(try await h.progressEvents().count == 1, "duplicates publish nothing")
        }
    }

    @Test func activityBeforeEnrollmentIsKeptAndAppliedLater() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("early", modules: ["a", "b"]))
            try await h.activities([
                try h.activity("u1", course: "early", module: "a", .completed, seconds: 100),
                try h.activity("u1", course: "early", module: "b", .started, seconds: 50, at: 1),
                try h.activity("u1", course: "never-enrolled", module: "x", .started, at: 2),
            ])
            var unattributed = try await h.service.http.send("GET", "/v1/activity/unattributed", token: h.service.admin()).json
            #expect(unattributed.int("total") == 3)
            #expect(try await h.progressEvents().isEmpty)

            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "early"))
            let answer = try await h.progress(id).json
            #expect(answer.double("percent") == 50)
            #expect(answer.int("timeSpentSeconds") == 150)
            #expect(answer.string("status") == "in_progress")
            #expect(try await h.progressEvents().count == 1)

            unattributed = try await h.service.http.send("GET", "/v1/activity/unattributed", token: h.service.admin()).json
            #expect(unattributed.int("total") == 1, "the statement for a course without enrollment stays, counted")
            #expect(unattributed.items.first?.string("courseId") == "never-enrolled")
        }
    }

    @Test func fiftyStatementsOfOneLearnerInOneBatchGiveOneUpdate() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("burst", modules: (1...100).map { "m\($0)" }))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "burst"))
            try await h.activities(try (1...50).map { try h.activity("u1", course: "burst", module: "m\($0)", .completed, at: Double($0)) })
            let events = try await h.progressEvents()
            #expect(events.count == 1)
            #expect(events.first?.payload.percent == 50)
            #expect(events.first?.payload.completedModules.count == 50)
        }
    }

    @Test func completionIsPublishedOnceEvenWithRedelivery() async throws {
        try await ProgressHarness.run { h in
            try await h.courses(try h.course("once", modules: ["a"]))
            let id = UUID()
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "once"))
            let batch = [try h.activity("u1", course: "once", module: "a", .completed)]
            for _ in 0..<3 { try await h.activities(batch) }
            // The enrollment event redelivered, and enrollment-service's answer (status completed).
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "once"))
            try await h.enrollments(try h.enrollment(id, user: "u1", course: "once", status: .completed, version: 2))
            let events = try await h.progressEvents()
            #expect(events.filter { $0.type == "lms.progress.completed" }.count == 1)
            #expect(events.count == 1)
        }
    }

    /// 10,000 statements of 500 learners in one batch: the batch costs a fixed handful of SQL
    /// statements (counted by pg_stat_statements under a role of the test's own), not one per
    /// statement or learner.
    @Test func tenThousandStatementsCostABoundedNumberOfSQLStatements() async throws {
        try await ProgressHarness.run { h in
            let learners = 500
            try await h.courses(try h.course("scale", modules: (1...20).map { "m\($0)" }))
            for chunk in stride(from: 0, to: learners, by: 250) {
                try await h.service.deliver(
                    try (chunk..<chunk + 250).map { try h.enrollment(UUID(), user: "u\($0)", course: "scale") }, to: h.module.enrollmentHandler)
            }
            let events = try (0..<learners).flatMap { learner in
                try (1...20).map { module in
                    try h.activity("u\(learner)", course: "scale", module: "m\(module)", module == 20 ? .passed : .completed, at: Double(module))
                }
            }
            #expect(events.count == 10_000)

            let role = "progress_counter_" + UUID().uuidString.prefix(8).lowercased()
            try await h.service.database.client.query(PostgresQuery(unsafeSQL: "CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA public"))
            try await h.service.database.client.query(PostgresQuery(unsafeSQL: "CREATE ROLE \(role) LOGIN SUPERUSER"))
            let url = h.service.databaseURL
            let counted = ServiceDatabase(
                url: try DatabaseURL("postgres://\(role)@\(url.host):\(url.port)/\(url.database)"), schema: h.service.schema, migrations: [],
                logger: h.service.logger, maxConnections: 1)
            let statements = try await withRunning([counted], logger: h.service.logger) {
                try await counted.ready()
                let roleStatements = "SELECT coalesce(sum(calls), 0)::int FROM public.pg_stat_statements WHERE userid = '\(role)'::regrole"
                let before = try await h.service.count(roleStatements)
                let rejected = try await h.service.deliver(events, to: h.module.activityHandler, database: counted)
                #expect(rejected.isEmpty)
                return try await h.service.count(roleStatements) - before
            }
            _ = try? await h.service.database.client.query(PostgresQuery(unsafeSQL: "DROP ROLE \(role)"))
            print("10,000 activity events, one batch: \(statements) SQL statements")
            #expect(statements > 0, "pg_stat_statements must see the batch")
            #expect(statements <= 12, "a batch is a fixed number of statements, whatever its size")

            #expect(try await h.service.count("SELECT count(*)::int FROM enrollment_progress WHERE status = 'completed'") == learners)
            let published = try await h.progressEvents()
            #expect(published.count == learners, "one event per learner")
            #expect(published.allSatisfy { $0.type == "lms.progress.completed" })
        }
    }
}
