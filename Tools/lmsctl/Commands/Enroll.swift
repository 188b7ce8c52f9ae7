import ArgumentParser
import Contracts

/// `lmsctl enroll --course C FILE.csv`: bulk enrollment from CSV (POST .../enrollments:bulk).
struct Enroll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enroll the users of a CSV file (userId[,role][,dueAt][,mandatory]) in a course and print the per-row results.",
        discussion: "Exits 2 when some rows were rejected."
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Course id.") var course: String
    @Argument(help: "CSV file with a header row: userId, optional role (learner|instructor), dueAt and mandatory (true|false).")
    var file: String
    @Flag(help: "Print only the rejected rows (and the summary).") var rejectedOnly = false
    @Flag(help: "No progress display.") var quiet = false
    @Option(help: "Idempotency-Key header.") var idempotencyKey: String?

    func run() async throws {
        let upload = try Upload.csv(file)
        let client = try global.client(for: .enrollmentService)
        let path = "/v1/courses/\(APIClient.segment(course))/enrollments:bulk"
        let response = try await upload.send(client, path: path, quiet: quiet, idempotencyKey: idempotencyKey)
            .requireSuccess(context: "enroll")
        let result = try response.json()
        let summary = result["summary"]
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            var table = TextTable(columns: ["row", "userId", "result", "status", "enrollmentId", "reason"])
            for item in result["items"]?.arrayValue ?? [] {
                let outcome = JSONOutput.cell(item["result"])
                if rejectedOnly && outcome != "rejected" { continue }
                table.append(["row", "userId", "result", "status", "enrollmentId", "reason"].map { JSONOutput.cell(item[$0]) })
            }
            if !table.rows.isEmpty { Console.out(table.render()) }
            Console.out(
                "import \(JSONOutput.cell(result["importId"]))  "
                    + ["total", "enrolled", "alreadyEnrolled", "waitlisted", "rejected"].map { "\($0) \(JSONOutput.cell(summary?[$0]))" }
                    .joined(separator: "  ")
            )
        }
        if let rejected = summary?["rejected"]?.doubleValue, rejected > 0 {
            throw CLIError("\(Int(rejected)) row(s) rejected", status: .rowsRejected)
        }
    }
}
