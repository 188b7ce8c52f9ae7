import Contracts

/// The CSV columns of the report payloads (one record per report, same fields as the JSON).
enum ReportCSV {
    static let summaryHeader =
        ["tenantId", "courseId", "asOf", "enrolled"] + EnrollmentStatus.allCases.map { "byStatus.\($0.rawValue)" }
        + EnrollmentSource.allCases.map { "bySource.\($0.rawValue)" }
        + ["completionRate", "averagePercent", "overdue", "medianDaysToComplete", "version"]

    static func summary(_ report: CourseSummaryReport) -> [String] {
        [report.tenantId, report.courseId, CSVValue.instant(report.asOf), String(report.enrolled)]
            + EnrollmentStatus.allCases.map { String(report.byStatus[$0.rawValue] ?? 0) }
            + EnrollmentSource.allCases.map { String(report.bySource[$0.rawValue] ?? 0) }
            + [
                CSVValue.number(report.completionRate), CSVValue.number(report.averagePercent), String(report.overdue),
                report.medianDaysToComplete.map(CSVValue.number) ?? "", String(report.version),
            ]
    }

    static let complianceHeader =
        ["tenantId", "courseId", "dimension", "value", "asOf", "assigned", "completed", "overdue", "complianceRate", "version"]

    static func compliance(_ report: ComplianceReport) -> [String] {
        [
            report.tenantId, report.courseId, report.dimension.rawValue, report.value, CSVValue.instant(report.asOf),
            String(report.assigned), String(report.completed), String(report.overdue), CSVValue.number(report.complianceRate),
            String(report.version),
        ]
    }

    static let transcriptHeader = [
        "enrollmentId", "courseId", "courseTitle", "cycle", "status", "source", "enrolledAt", "dueAt", "completedAt", "percent", "score",
        "overdue",
    ]

    static func transcript(_ entry: TranscriptEntry) -> [String] {
        [
            entry.enrollmentId, entry.courseId, entry.courseTitle ?? "", String(entry.cycle), entry.status, entry.source,
            CSVValue.instant(entry.enrolledAt), CSVValue.instant(entry.dueAt), CSVValue.instant(entry.completedAt),
            CSVValue.number(entry.percent), entry.score.map(CSVValue.number) ?? "", String(entry.overdue),
        ]
    }

    static let overdueHeader = [
        "enrollmentId", "courseId", "userId", "cycle", "department", "location", "jobRole", "enrolledAt", "dueAt", "percent", "daysOverdue",
    ]

    static func overdue(_ entry: OverdueEntry) -> [String] {
        [
            entry.enrollmentId, entry.courseId, entry.userId, String(entry.cycle), entry.department ?? "",
            entry.location ?? "", entry.jobRole ?? "", CSVValue.instant(entry.enrolledAt), CSVValue.instant(entry.dueAt),
            CSVValue.number(entry.percent), entry.daysOverdue.map(String.init) ?? "",
        ]
    }
}
