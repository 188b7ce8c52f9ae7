import Foundation

/// Tunables of rules-worker; the defaults suit production, tests shrink them.
public struct RulesWorkerOptions: Sendable {
    public var clock: any RulesClock
    /// Users per job step (one transaction each: evaluation, match rows, commands, progress).
    public var jobPageSize: Int
    /// How long the job runner sleeps when no job is open (it is also woken when one is created).
    public var jobPollInterval: Duration
    /// How often the sweep checks effective windows and re-evaluates time-relative criteria.
    public var sweepInterval: Duration
    /// Whether the background job runner and sweep run (tests drive them by hand when false).
    public var runsBackgroundWork: Bool
    /// Test hook: runs inside each job step's transaction, after its writes and before the commit.
    public var beforeJobStepCommit: @Sendable () async throws -> Void

    public init(
        clock: any RulesClock = SystemRulesClock(), jobPageSize: Int = 2_000, jobPollInterval: Duration = .seconds(1),
        sweepInterval: Duration = .seconds(60), runsBackgroundWork: Bool = true,
        beforeJobStepCommit: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.clock = clock
        self.jobPageSize = jobPageSize
        self.jobPollInterval = jobPollInterval
        self.sweepInterval = sweepInterval
        self.runsBackgroundWork = runsBackgroundWork
        self.beforeJobStepCommit = beforeJobStepCommit
    }
}
