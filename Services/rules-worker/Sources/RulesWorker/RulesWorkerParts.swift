import Foundation
import Logging
import ServiceHTTP
import ServiceHost
import ServicePlatform

/// The pieces of rules-worker wired together: repositories, the admin service, the consumers'
/// handlers, the job runner and the sweep. Tests build one to drive the pieces directly.
public struct RulesWorkerParts: Sendable {
    let store: RulesStore
    let service: RulesService
    let userEvents: UserEventsHandler
    let enrollmentEvents: EnrollmentEventsHandler
    let stepper: JobStepper
    let jobRunner: JobRunner
    let sweeper: Sweeper

    public init(runtime: ServiceRuntime, options: RulesWorkerOptions) {
        self.init(database: runtime.database, eventSource: runtime.eventSource, options: options, logger: runtime.logger)
    }

    public init(database: ServiceDatabase, eventSource: String, options: RulesWorkerOptions, logger: Logger) {
        let store = RulesStore(logger: logger)
        let signal = JobSignal()
        self.store = store
        service = RulesService(database: database, store: store, clock: options.clock, signal: signal, logger: logger)
        userEvents = UserEventsHandler(store: store, clock: options.clock, source: eventSource, logger: logger)
        enrollmentEvents = EnrollmentEventsHandler(store: store, clock: options.clock, logger: logger)
        stepper = JobStepper(store: store, options: options, source: eventSource, logger: logger)
        jobRunner = JobRunner(database: database, stepper: stepper, signal: signal, pollInterval: options.jobPollInterval, logger: logger)
        sweeper = Sweeper(database: database, store: store, clock: options.clock, interval: options.sweepInterval, signal: signal, logger: logger)
    }
}
