import Contracts

/// Report values compared with the independently computed ones.
enum Compare {
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.0005 }

    static func summary(_ report: CourseSummaryReport, _ expected: Scenario.Summary) -> Bool {
        let medianMatches: Bool
        switch (report.medianDaysToComplete, expected.medianDays) {
        case (nil, nil): medianMatches = true
        case (let a?, let b?): medianMatches = close(a, b)
        default: medianMatches = false
        }
        return report.enrolled == expected.enrolled && report.byStatus == expected.byStatus && report.bySource == expected.bySource
            && close(report.completionRate, expected.completionRate) && close(report.averagePercent, expected.averagePercent)
            && report.overdue == expected.overdue && medianMatches
    }

    static func compliance(_ report: ComplianceReport, _ expected: Scenario.Compliance) -> Bool {
        report.assigned == expected.assigned && report.completed == expected.completed && report.overdue == expected.overdue
            && close(report.complianceRate, expected.rate)
    }

    /// Whether every latest topic snapshot equals the scenario's figures, and every key the
    /// scenario has (every course, every group of every dimension) has a snapshot.
    static func topics(
        _ latest: (summaries: [String: CourseSummaryReport], compliance: [String: ComplianceReport]),
        _ scenario: Scenario
    ) -> [String] {
        var problems: [String] = []
        for (key, report) in latest.summaries where !summary(report, scenario.summary(tenant: report.tenantId, course: report.courseId)) {
            problems.append("summary \(key): \(report) expected \(scenario.summary(tenant: report.tenantId, course: report.courseId))")
        }
        for (key, report) in latest.compliance {
            let expected = scenario.compliance(tenant: report.tenantId, course: report.courseId, dimension: report.dimension, value: report.value)
            if !compliance(report, expected) { problems.append("compliance \(key): \(report) expected \(expected)") }
        }
        for tenant in ["acme", "globex"] {
            for (course, _) in scenario.courses where !scenario.latest(tenant: tenant, course: course).isEmpty {
                if latest.summaries["\(tenant)/\(course)"] == nil { problems.append("no summary snapshot for \(tenant)/\(course)") }
                for dimension in ComplianceDimension.allCases {
                    for value in scenario.groups(tenant: tenant, course: course, dimension: dimension)
                    where latest.compliance["\(tenant)/\(course)/\(dimension.rawValue)/\(value)"] == nil {
                        problems.append("no compliance snapshot for \(tenant)/\(course)/\(dimension.rawValue)/\(value)")
                    }
                }
            }
        }
        return problems
    }
}
