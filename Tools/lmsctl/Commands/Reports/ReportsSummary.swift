import ArgumentParser

/// `lmsctl reports summary COURSE_ID`.
struct ReportsSummary: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "A course's enrollment and completion summary.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Course id.") var courseId: String
    @Flag(help: "Print the service's CSV.") var csv = false

    func run() async throws {
        try await Reports.show(
            global: global, csv: csv, path: "/v1/reports/courses/\(APIClient.segment(courseId))/summary", query: [], name: "summary",
            preferred: ["courseId", "asOf", "enrolled", "completionRate", "averagePercent", "overdue", "medianDaysToComplete"])
    }
}
