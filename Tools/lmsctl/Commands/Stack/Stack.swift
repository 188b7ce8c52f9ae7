import ArgumentParser

/// `lmsctl stack`: the local stack.
struct Stack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The local stack (scripts/run).", subcommands: [StackStatus.self])
}
