import ArgumentParser

/// `lmsctl courses get COURSE_ID`.
struct CoursesGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a course's settings.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Course id.") var courseId: String

    func run() async throws {
        let client = try global.client(for: .enrollmentService)
        let response = try await client.get("/v1/courses/\(APIClient.segment(courseId))").requireSuccess(context: "courses get")
        try global.show(response, preferred: Courses.preferredFields)
    }
}
