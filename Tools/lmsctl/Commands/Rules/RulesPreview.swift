import ArgumentParser
import Contracts

/// `lmsctl rules preview RULE_ID`: what activating the rule now would change.
struct RulesPreview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show what activating a rule now would do: would enroll / would withdraw / ..., counts and samples.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Rule id (UUID).") var ruleId: String
    @Option(help: "JSON file with a changed rule definition to preview instead of the stored one.") var file: String?
    @Option(help: "Sample pairs shown per bucket.") var samples: Int = 5

    /// The buckets of a preview, in the order shown.
    static let buckets: [(key: String, label: String)] = [
        ("wouldEnroll", "would enroll"), ("wouldWithdraw", "would withdraw"), ("wouldSuspend", "would suspend"),
        ("wouldKeep", "would keep"), ("wouldRelease", "would release"), ("wouldIgnore", "would ignore"),
    ]

    func run() async throws {
        let client = try global.client(for: .rulesWorker)
        var body = APIClient.Body.none
        if let file { body = .json(try CreateFromFile.encode(try JSONFile.object(file))) }
        let response = try await client.send(.POST, "/v1/rules/\(APIClient.segment(ruleId)):preview", body: body)
            .requireSuccess(context: "rules preview")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            Console.out(Self.render(try response.json(), samples: samples))
        }
    }

    /// A header line (rule, version, evaluated, matching) and one row per bucket.
    static func render(_ preview: JSONValue, samples: Int) -> String {
        let header = ["ruleId", "version", "evaluated", "matching", "inEffect"].map { "\($0) \(JSONOutput.cell(preview[$0]))" }
            .joined(separator: "  ")
        var table = TextTable(columns: ["change", "pairs", "users", "sample (userId → courseId)"])
        for bucket in buckets {
            guard let value = preview[bucket.key] else { continue }
            let sample = (value["sample"]?.arrayValue ?? []).prefix(max(0, samples)).map {
                "\(JSONOutput.cell($0["userId"]))→\(JSONOutput.cell($0["courseId"]))"
            }
            let more = (value["count"]?.doubleValue).map { Int($0) > sample.count && !sample.isEmpty ? ", …" : "" } ?? ""
            table.append([bucket.label, JSONOutput.cell(value["count"]), JSONOutput.cell(value["users"]), sample.joined(separator: ", ") + more])
        }
        return header + "\n" + table.render()
    }
}
