import ArgumentParser
import Contracts

/// `lmsctl keys create --course C`: the key's secret is shown this once.
struct KeysCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an enrollment key; its secret is printed once and cannot be shown again.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Course id.") var course: String
    @Option(help: "Label shown in lists.") var label: String?
    @Option(help: "How many enrollments the key allows.") var maxUses: Int?
    @Option(help: "Expiry instant (RFC 3339, e.g. 2030-01-31T00:00:00Z).") var expiresAt: String?

    func run() async throws {
        var body: [String: JSONValue] = [:]
        if let label { body["label"] = .string(label) }
        if let maxUses { body["maxUses"] = .number(Double(maxUses)) }
        if let expiresAt { body["expiresAt"] = .string(expiresAt) }
        let client = try global.client(for: .enrollmentService)
        let response = try await client.send(
            .POST, "/v1/courses/\(APIClient.segment(course))/enrollment-keys", body: .json(try LMSJSON.encode(JSONValue.object(body)))
        ).requireSuccess(context: "keys create")
        try global.show(response, preferred: ["key"] + Keys.columns)
        if !global.json { Console.err("The key is shown only now; store it (lists show only its hint).") }
    }
}
