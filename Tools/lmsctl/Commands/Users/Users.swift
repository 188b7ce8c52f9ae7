import ArgumentParser

/// `lmsctl users`: the learner directory (user-service).
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Users of the learner directory (user-service).", subcommands: [UsersImport.self])
}
