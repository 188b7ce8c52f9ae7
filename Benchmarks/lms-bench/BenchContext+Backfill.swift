import Foundation
import Kafka

/// Figure 1: a rule matching half of `users` imported users, activated with backfill, until every
/// enrollment is on `lms.enrollments.v1`. Baseline: COPY of as many rows into a temp table.
extension BenchContext {
    func backfill(users: Int) async throws -> [FigureRow] {
        let course = "backfill-101"
        let criteria = #"{"all":[{"field":"department","op":"eq","value":"Sales"}]}"#
        let expected = (users + 1) / 2
        try await putCourse(course, #"{"title":"Sales backfill","modules":["intro","pitch","closing"],"defaultDueDays":30}"#)

        log("backfill: importing \(users) users")
        let importCost = await costSnapshot()
        let importStart = ContinuousClock.now
        try await importUsers(prefix: "emp", count: users)
        let imported = ContinuousClock.now
        await recordCost(since: importCost, "user import (CSV)", units: users, unit: "user")
        try await waitUntil("rules-worker to know \(expected) Sales users", interval: .milliseconds(500)) {
            try await segmentCount(criteria) >= expected
        }
        let known = ContinuousClock.now
        log("backfill: import \(Int((imported - importStart).seconds)) s, rules-worker caught up \(Int((known - imported).seconds)) s later")

        let seen = Locked<(users: Set<String>, last: ContinuousClock.Instant?)>((users: [], last: nil))
        let onMessage: @Sendable (KafkaConsumerMessage, ContinuousClock.Instant) -> Void = { message, at in
            guard let user = createdEnrollment(message, course: course) else { return }
            seen.withLock { state in
                if state.users.insert(user).inserted { state.last = at }
            }
        }
        let elapsed = try await KafkaSession.with(
            brokers: settings.brokers, consume: ["lms.enrollments.v1"],
            onMessage: onMessage
        ) { _ in
            let cost = await costSnapshot()
            let start = ContinuousClock.now
            _ = try await activateRule(name: "Sales onboarding", course: course, criteria: criteria)
            log("backfill: rule active, waiting for \(expected) enrollments")
            try await waitUntil("\(expected) enrollments on lms.enrollments.v1", timeout: .seconds(1800)) {
                seen.withLock { $0.users.count } >= expected
            }
            await recordCost(since: cost, "rule backfill", units: expected, unit: "enrollment")
            return (seen.withLock { $0.last } ?? ContinuousClock.now) - start
        }
        let rate = Double(expected) / elapsed.seconds
        log("backfill: \(expected) enrollments in \(String(format: "%.1f", elapsed.seconds)) s; COPY baseline")
        let copy = try await copyBaseline(rows: expected)
        return [
            FigureRow(
                figure: "user import (CSV)", value: Double(users) / (imported - importStart).seconds, unit: "users/s", baseline: copy, target: "-"),
            FigureRow(figure: "rule backfill", value: rate, unit: "enrollments/s", baseline: copy, target: ">= 50000/s"),
        ]
    }
}
