import Foundation
import ServiceHTTP

/// Figure 4: `POST /v1/self-enrollments` with a key from `clients` concurrent clients, one request
/// per learner. Baseline: pgbench with a single-row INSERT transaction at the same concurrency.
extension BenchContext {
    func selfEnroll(requests: Int, clients: Int) async throws -> [FigureRow] {
        let course = "self-paced-security"
        try await putCourse(course, #"{"title":"Security awareness","modules":["phishing"],"selfEnrollment":{"enabled":true}}"#)
        let key = try await http.expect(
            "POST", "\(settings.enrollmentService)/v1/courses/\(course)/enrollment-keys", token: admin, body: #"{"label":"bench"}"#)
        guard let secret = key.json["key"] as? String else { throw BenchError("no key in \(key.text.prefix(200))") }
        log("self-enroll: importing \(requests + 1) learners")
        try await importUsers(prefix: "self", count: requests + 1)
        // enrollment-service learns users from lms.users.v1: the last one known means all are.
        let body = #"{"courseId":"\#(course)","key":"\#(secret)"}"#
        let url = "\(settings.enrollmentService)/v1/self-enrollments"
        let probeToken = token("self-\(requests)", roles: [.learner])
        try await waitUntil("enrollment-service to know the learners", timeout: .seconds(600), interval: .milliseconds(500)) {
            (200..<300).contains(try await http.send("POST", url, token: probeToken, body: body).status)
        }
        let tokens = (0..<requests).map { token("self-\($0)", roles: [.learner]) }
        log("self-enroll: \(requests) requests, \(clients) clients")
        let next = Locked<Int>(0)
        let failures = Locked<Int>(0)
        let cost = await costSnapshot()
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let index = next.withLock { value in
                            defer { value += 1 }
                            return value
                        }
                        guard index < requests else { return mine }
                        let sent = ContinuousClock.now
                        let answer = try await http.send("POST", url, token: tokens[index], body: body)
                        mine.append((ContinuousClock.now - sent).milliseconds)
                        if !(200..<300).contains(answer.status) { failures.withLock { $0 += 1 } }
                    }
                }
            }
            return try await group.reduce(into: [Double]()) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - start
        await recordCost(since: cost, "self-enrollment", units: requests, unit: "request")
        let failed = failures.withLock { $0 }
        if failed > 0 { log("self-enroll: \(failed) requests failed") }
        let percentiles = Percentiles(latencies)
        log("self-enroll: pgbench baseline")
        let baseline = try await pgbenchBaseline(clients: clients, seconds: 10)
        return [
            FigureRow(
                figure: "self-enrollment (\(clients) clients)", value: Double(requests - failed) / elapsed.seconds, unit: "req/s",
                baseline: baseline.tps, target: ">= 80% of pgbench"),
            FigureRow(
                figure: "self-enrollment p50", value: percentiles.value(50), unit: "ms", baseline: baseline.p50, target: "-", lowerIsBetter: true),
            FigureRow(figure: "self-enrollment p99", value: percentiles.value(99), unit: "ms", baseline: nil, target: "-", lowerIsBetter: true),
        ]
    }
}
