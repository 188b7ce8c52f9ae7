import ArgumentParser
import Contracts
import Foundation

/// `lmsctl courses put COURSE_ID --file settings.json` (flags override the file's fields).
struct CoursesPut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Create or replace a course's settings (PUT /v1/courses/{courseId}) from a JSON file and/or flags.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Course id.") var courseId: String
    @Option(help: "JSON file with the course settings (title, capacity, waitlist, selfEnrollment, modules, ...).") var file: String?
    @Option(help: "Title.") var title: String?
    @Option(help: "Seats; absent = unlimited.") var capacity: Int?
    @Option(help: "Waitlist when full (true|false).") var waitlist: Bool?
    @Option(help: "Days from enrollment to the due date.") var defaultDueDays: Int?
    @Option(help: "Days of access after enrollment.") var accessDays: Int?
    @Option(help: "Recertification period in days.") var recertifyEveryDays: Int?
    @Option(help: "Comma-separated module ids required for completion.") var modules: String?
    @Option(help: "Passing score 0-100.") var passingScore: Double?
    @Option(help: "Self-enrollment enabled (true|false).") var selfEnrollment: Bool?
    @Option(help: "Idempotency-Key header.") var idempotencyKey: String?

    func run() async throws {
        var body: [String: JSONValue] = [:]
        if let file { body = try JSONFile.object(file) }
        if let title { body["title"] = .string(title) }
        if let capacity { body["capacity"] = .number(Double(capacity)) }
        if let waitlist { body["waitlist"] = .bool(waitlist) }
        if let defaultDueDays { body["defaultDueDays"] = .number(Double(defaultDueDays)) }
        if let accessDays { body["accessDays"] = .number(Double(accessDays)) }
        if let recertifyEveryDays { body["recertifyEveryDays"] = .number(Double(recertifyEveryDays)) }
        if let passingScore { body["passingScore"] = .number(passingScore) }
        if let modules {
            body["modules"] = .array(modules.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
        }
        if let selfEnrollment {
            var settings = body["selfEnrollment"]?.objectValue ?? [:]
            settings["enabled"] = .bool(selfEnrollment)
            body["selfEnrollment"] = .object(settings)
        }
        guard body["title"] != nil else { throw CLIError.usage("a course needs a title: --title or a \"title\" in --file") }
        let client = try global.client(for: .enrollmentService)
        let response = try await client.send(
            .PUT, "/v1/courses/\(APIClient.segment(courseId))", body: .json(try LMSJSON.encode(JSONValue.object(body))),
            idempotencyKey: idempotencyKey
        ).requireSuccess(context: "courses put")
        try global.show(response, preferred: Courses.preferredFields)
    }
}
