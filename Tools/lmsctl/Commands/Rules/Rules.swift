import ArgumentParser

/// `lmsctl rules`: enrollment rules (rules-worker).
struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Automated enrollment rules (rules-worker).",
        subcommands: [RulesCreate.self, RulesPreview.self, RulesActivate.self])

    static let preferredColumns = ["ruleId", "name", "status", "version", "inEffect", "segmentId", "courseIds", "backfill", "onUnmatch"]
}
