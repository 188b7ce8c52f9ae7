import ArgumentParser

/// `lmsctl topics`: the contract's Kafka topics.
struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "The contract's Kafka topics: create the missing ones.",
        subcommands: [TopicsApply.self]
    )
}
