import Contracts
import Foundation
import Kafka

/// Figure 5: learning statements through progress-service (published as fast as the producer
/// goes, until every one is recorded) and report freshness: one completion at a time until the
/// course summary on `lms.reports.course-summary.v1` reflects it.
extension BenchContext {
    func activity(learners: Int, probes: Int) async throws -> [FigureRow] {
        let course = "activity-course"
        let modules = ["m1", "m2", "m3", "m4"]
        try await putCourse(course, #"{"title":"Activity","modules":["m1","m2","m3","m4"]}"#)
        let learnerIds = (0..<learners).map { "act-\($0)" }
        _ = try await bulkEnroll(course: course, users: learnerIds)
        let fresh = "freshness-course"
        try await putCourse(fresh, #"{"title":"Freshness","modules":["only"]}"#)
        _ = try await bulkEnroll(course: fresh, users: (0..<probes).map { "fresh-\($0)" })
        try await waitUntil("progress-service to know the enrollments", interval: .milliseconds(500)) {
            try await count(
                "SELECT count(*) FROM progress.enrollment_progress WHERE tenant_id = '\(tenant)' AND course_id IN ('\(course)', '\(fresh)')")
                >= learners + probes
        }
        let statements = learners * modules.count
        log("activity: \(statements) statements")
        let now = Date()
        let events = try learnerIds.flatMap { user in
            try modules.map { module in
                try CloudEvent.make(
                    LearningActivity(
                        tenantId: tenant, statementId: UUID(), userId: user, courseId: course, moduleId: module,
                        verb: .completed, progress: 1, durationSeconds: 300, occurredAt: now),
                    source: "/lms-bench")
            }
        }
        let summaries = Locked<[(at: ContinuousClock.Instant, completed: Int, average: Double)]>([])
        let onMessage: @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { message, at in
            guard message.headers.string(for: CloudEvent.HeaderName.tenantId) == tenant, let value = message.value,
                let json = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any], json["courseId"] as? String == fresh
            else { return }
            let completed = (json["byStatus"] as? [String: Any])?["completed"] as? Int ?? 0
            let average = json["averagePercent"] as? Double ?? Double(json["averagePercent"] as? Int ?? 0)
            summaries.withLock { $0.append((at, completed, average)) }
        }
        return try await KafkaSession.with(
            brokers: settings.brokers, consume: ["lms.reports.course-summary.v1"],
            onMessage: onMessage
        ) { producer in
            let cost = await costSnapshot()
            let start = ContinuousClock.now
            try await publish(events, with: producer)
            try await waitUntil("\(statements) statements recorded", timeout: .seconds(1800), interval: .milliseconds(200)) {
                try await count("SELECT count(*) FROM progress.statements WHERE tenant_id = '\(tenant)'") >= statements
            }
            await recordCost(since: cost, "activity ingestion", units: statements, unit: "statement")
            let ingestion = Double(statements) / (ContinuousClock.now - start).seconds

            log("activity: \(probes) freshness probes")
            var freshness: [Double] = []
            for index in 0..<probes {
                let event = try CloudEvent.make(
                    LearningActivity(
                        tenantId: tenant, statementId: UUID(), userId: "fresh-\(index)", courseId: fresh, moduleId: "only",
                        verb: .completed, progress: 1, occurredAt: Date()),
                    source: "/lms-bench")
                let sent = ContinuousClock.now
                try await publish([event], with: producer)
                let wanted = Double(index + 1) * 100 / Double(probes) - 0.01
                try await waitUntil("a course summary with \(index + 1) completions", timeout: .seconds(60), interval: .milliseconds(5)) {
                    summaries.withLock { $0.contains { $0.at >= sent && ($0.completed >= index + 1 || $0.average >= wanted) } }
                }
                let seen = summaries.withLock { $0.first { $0.at >= sent && ($0.completed >= index + 1 || $0.average >= wanted) }?.at } ?? sent
                freshness.append((seen - sent).milliseconds)
            }
            let percentiles = Percentiles(freshness)
            return [
                FigureRow(figure: "activity ingestion", value: ingestion, unit: "statements/s", baseline: nil, target: "-"),
                FigureRow(figure: "report freshness p50", value: percentiles.value(50), unit: "ms", baseline: nil, target: "-", lowerIsBetter: true),
                FigureRow(
                    figure: "report freshness p99", value: percentiles.value(99), unit: "ms", baseline: nil, target: "<= 1000 ms", lowerIsBetter: true
                ),
            ]
        }
    }
}
