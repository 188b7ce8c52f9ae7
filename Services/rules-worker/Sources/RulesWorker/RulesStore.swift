import Logging

/// The repositories of the `rules` schema.
struct RulesStore: Sendable {
    let projection: ProjectionRepository
    let segments: SegmentRepository
    let rules: RuleRepository
    let matches: MatchRepository
    let jobs: JobRepository

    init(logger: Logger) {
        projection = ProjectionRepository(logger: logger)
        segments = SegmentRepository(logger: logger)
        rules = RuleRepository(logger: logger)
        matches = MatchRepository(logger: logger)
        jobs = JobRepository(logger: logger)
    }
}
