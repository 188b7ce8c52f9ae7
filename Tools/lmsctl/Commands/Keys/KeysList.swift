import ArgumentParser
import Contracts

/// `lmsctl keys list --course C`.
struct KeysList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a course's enrollment keys (hints only).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Course id.") var course: String

    func run() async throws {
        let client = try global.client(for: .enrollmentService)
        let response = try await client.get("/v1/courses/\(APIClient.segment(course))/enrollment-keys").requireSuccess(context: "keys list")
        if global.json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            let items = try response.json()["items"]?.arrayValue ?? []
            Console.out(JSONOutput.table(items, preferred: Keys.columns).render())
        }
    }
}
