import ArgumentParser

/// `lmsctl reports overdue [--course C] [--department D]`.
struct ReportsOverdue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overdue", abstract: "Learners past their due date.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this course.") var course: String?
    @Option(help: "Only this department.") var department: String?
    @Flag(help: "Print the service's CSV.") var csv = false

    func run() async throws {
        try await Reports.show(
            global: global, csv: csv, path: "/v1/reports/overdue", query: [("courseId", course), ("department", department)], name: "overdue",
            preferred: ["userId", "courseId", "department", "status", "percent", "dueAt", "daysOverdue"])
    }
}
