import ArgumentParser
import Contracts

/// `lmsctl courses get COURSE_ID`.
struct CoursesGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a course's settings.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Course id.") var courseId: String

    func run() async throws {
        let client = try global.client(for: .enrollmentService)
        let response = try await client.get("/v1/courses/\(APIClient.segment(courseId))").requireSuccess(context: "courses get")
        try Self.show(response, json: global.json)
    }

    static func show(_ response: APIResponse, json: Bool) throws(CLIError) {
        if json {
            Console.out(JSONOutput.pretty(response.body))
        } else {
            Console.out(JSONOutput.keyValueTable(try response.json(), preferred: ["courseId", "title", "capacity", "waitlist"]).render())
        }
    }
}
