import ArgumentParser
import Contracts

/// `lmsctl reports`: report-service reports as tables, JSON or the service's CSV.
struct Reports: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports (report-service): aligned tables, --json, or --csv (the service's CSV, unchanged).",
        subcommands: [ReportsSummary.self, ReportsCompliance.self, ReportsTranscript.self, ReportsOverdue.self, ReportsRebuild.self]
    )

    /// GETs `path` (with `format=csv` for `--csv`) and prints it: CSV raw, JSON pretty, else a
    /// table (a list's `items`, or a field/value table of one object).
    static func show(
        global: GlobalOptions,
        csv: Bool,
        path: String,
        query: [(String, String?)],
        name: String,
        preferred: [String]
    ) async throws(CLIError) {
        guard !(csv && global.json) else { throw CLIError.usage("--csv and --json exclude each other") }
        let client = try global.client(for: .reportService)
        let response = try await client.get(
            path + APIClient.query(query + (csv ? [("format", "csv")] : [])),
            accept: csv ? "text/csv" : "application/json"
        ).requireSuccess(context: "reports \(name)")
        if csv {
            Console.raw(response.text)
            return
        }
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
            return
        }
        let value = try response.json()
        if let items = value["items"]?.arrayValue {
            Console.out(items.isEmpty ? "(no rows)" : JSONOutput.table(items, preferred: preferred).render())
        } else {
            Console.out(JSONOutput.keyValueTable(value, preferred: preferred).render())
        }
    }
}
