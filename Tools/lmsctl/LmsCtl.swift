import ArgumentParser

/// `lmsctl`: the admin CLI of the LMS enrollment backbone.
@main
struct LmsCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lmsctl",
        abstract: "Admin CLI for the LMS enrollment backbone (HTTP APIs and Kafka topics).",
        discussion: """
            Reads .lms/stack.env (searched from the current directory upwards) unless --env-file \
            names another; environment variables and flags override it. Without --token, an admin \
            token for --tenant (default demo) is minted with LMS_JWT_SECRET.

            Exit codes: 0 ok, 1 other failure, 2 some rows rejected, 4 HTTP 4xx, 5 HTTP 5xx or \
            service unreachable, 64 usage.
            """,
        subcommands: [
            Token.self, Users.self, Courses.self, Enroll.self, Keys.self, Segments.self, Rules.self,
            Reports.self, DLQ.self, Topics.self, Stack.self,
        ]
    )

    /// Runs the command; lmsctl's own failures print their lines and exit with their status.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            for line in error.lines { Console.err(line) }
            Console.terminate(error.status.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
