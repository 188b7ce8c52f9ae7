import ArgumentParser

/// `lmsctl segments`: user segments (rules-worker).
struct Segments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "User segments (rules-worker).", subcommands: [SegmentsCreate.self])
}
