import ArgumentParser
import Contracts

/// `lmsctl users import FILE.csv`: POST /v1/users:import, then the per-row results.
struct UsersImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import users from a CSV file (POST /v1/users:import) and print the per-row results.",
        discussion: "Exits 2 when some rows were rejected (the others are applied).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CSV file: a header row (userId, email, givenName, familyName, ...) then one user per row.") var file: String
    @Flag(help: "Print only the rejected rows (and the counts).") var rejectedOnly = false
    @Flag(help: "No progress display.") var quiet = false
    @Option(help: "Idempotency-Key header (a repeat returns the first answer).") var idempotencyKey: String?

    func run() async throws {
        let response = try await Upload.post(
            file, to: "/v1/users:import", of: .userService, global: global, quiet: quiet, idempotencyKey: idempotencyKey, context: "users import")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        }
        let report = try response.json()
        let counts = report["counts"]
        if !global.json {
            let columns = ["row", "userId", "result", "errors"]
            let table = Upload.table(report["results"]?.arrayValue ?? [], columns: columns, rejectedOnly: rejectedOnly) { row in
                let errors = (row["errors"]?.arrayValue ?? []).map { "\(JSONOutput.cell($0["field"])): \(JSONOutput.cell($0["message"]))" }
                return [JSONOutput.cell(row["row"]), JSONOutput.cell(row["userId"]), JSONOutput.cell(row["result"]), errors.joined(separator: "; ")]
            }
            if !table.rows.isEmpty { Console.out(table.render()) }
            Console.out(
                ["total", "created", "updated", "unchanged", "rejected"].map { "\($0) \(JSONOutput.cell(counts?[$0]))" }.joined(separator: "  "))
        }
        try Upload.requireNoneRejected(counts?["rejected"])
    }
}
