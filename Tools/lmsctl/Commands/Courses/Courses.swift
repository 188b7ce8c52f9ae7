import ArgumentParser

/// `lmsctl courses`: course settings (enrollment-service).
struct Courses: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Course settings (enrollment-service).", subcommands: [CoursesPut.self, CoursesGet.self])

    static let preferredFields = ["courseId", "title", "capacity", "waitlist"]
}
