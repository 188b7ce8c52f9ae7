/// Figure 3: one CSV of `rows` learners to `POST /v1/courses/{c}/enrollments:bulk`, HTTP only.
extension BenchContext {
    func bulk(rows: Int) async throws -> [FigureRow] {
        let course = "compliance-bulk"
        try await putCourse(course, #"{"title":"Compliance 2026","modules":["m1","m2"],"defaultDueDays":30}"#)
        let users = (0..<rows).map { "bulk-\($0)" }
        log("bulk: \(rows) rows")
        let cost = await costSnapshot()
        let start = ContinuousClock.now
        let answer = try await bulkEnroll(course: course, users: users)
        let elapsed = ContinuousClock.now - start
        await recordCost(since: cost, "bulk enrollment (CSV)", units: rows, unit: "row")
        let summary = (answer.json["summary"] as? [String: Any]) ?? answer.json
        if let enrolled = summary["enrolled"] as? Int, enrolled != rows {
            log("bulk: only \(enrolled) of \(rows) rows enrolled: \(answer.text.prefix(300))")
        }
        return [
            FigureRow(
                figure: "bulk enrollment (CSV)", value: Double(rows) / elapsed.seconds, unit: "rows/s", baseline: nil, target: ">= 20000 rows/s")
        ]
    }
}
