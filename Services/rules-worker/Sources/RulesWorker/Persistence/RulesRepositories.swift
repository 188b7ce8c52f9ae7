import Logging

/// The repositories of the `rules` schema, built once and handed to the use cases, handlers and jobs.
package struct RulesRepositories: Sendable {
    package let users: CriteriaUserRepository
    package let segments: SegmentRepository
    package let rules: RuleRepository
    package let matches: MatchRepository
    package let jobs: JobRepository

    package init(logger: Logger) {
        users = CriteriaUserRepository(logger: logger)
        segments = SegmentRepository(logger: logger)
        rules = RuleRepository(logger: logger)
        matches = MatchRepository(logger: logger)
        jobs = JobRepository(logger: logger)
    }
}
