import Contracts
import Foundation
import Logging
import PostgresNIO
import ServicePlatform

/// The enrollment rules, applied set-wise inside the caller's transaction: enrolling (with capacity,
/// waitlist and re-enrollment), status changes (with seat release and waitlist promotion), due date
/// changes and recertification cycles. Every path locks the affected courses first, reads what it
/// needs with one query per kind, decides in memory and writes one multi-row statement per kind,
/// whether it handles one HTTP request or a batch of a thousand events.
package struct EnrollmentWorkflow: Sendable {
    /// The due date of a recertification cycle when the course sets no `defaultDueDays`.
    package static let defaultRecertificationDueDays = 30

    let courses: CourseRepository
    let enrollments: EnrollmentRepository
    let users: UserProjectionRepository
    let clock: any ServiceClock
    let eventSource: String
    let logger: Logger

    // MARK: Enrolling

    /// What an enrollment pass locks to serialise with concurrent ones.
    package enum LockScope: Sendable {
        /// The courses, exclusively: batches (bulk, rule commands) take each course once.
        case courses
        /// The learners' seats, and their courses only shared unless they have a capacity: a single
        /// learner's request (self-enrollment), so that learners enroll into a course concurrently.
        case seats
    }

    /// Enrolls each request's user (requests may span tenants and courses). A user without an
    /// enrollment gets cycle 1; a withdrawn or expired one is reopened; a waitlisted, active,
    /// suspended or completed one is left as it is, except that a mandatory request makes a
    /// waitlisted, active or suspended one mandatory. Over capacity a learner is waitlisted when the
    /// course keeps a waitlist (and the request allows it), else refused.
    package func enroll(
        _ requests: [EnrollmentRequest],
        on connection: PostgresConnection,
        traceparent: String? = nil,
        locking scope: LockScope = .courses
    ) async throws -> [EnrollmentOutcome] {
        guard !requests.isEmpty else { return [] }
        let now = clock.now()
        let locked: [CourseKey: CourseSettings]
        switch scope {
        case .courses:
            locked = try await courses.lock(Set(requests.map(\.course)), on: connection)
        case .seats:
            locked = try await courses.lockForSeats(Set(requests.map(\.course)), on: connection)
            try await enrollments.lockSeats(Set(requests.map(\.seat)), on: connection)
        }
        var ledger = try await seatLedger(for: locked, on: connection)
        var current = try await enrollments.latest(for: Set(requests.map(\.seat)), on: connection)
        let statuses = try await users.statuses(of: Set(requests.map(\.user)), on: connection)
        var changes = EnrollmentChangeSet(now: now)
        var outcomes: [EnrollmentOutcome] = []
        outcomes.reserveCapacity(requests.count)

        for request in requests {
            guard let course = locked[request.course] else {
                outcomes.append(.rejected(.courseNotFound))
                continue
            }
            if let status = statuses[request.user], status != .active {
                outcomes.append(.rejected(.learnerNotActive(status)))
                continue
            }
            guard var record = current[request.seat] else {
                let placement = ledger.claim(request.course, role: request.role, mayWaitlist: request.mayWaitlist)
                guard placement != .full else {
                    outcomes.append(.rejected(.courseFull))
                    continue
                }
                let record = newEnrollment(request, placement: placement, course: course, now: now)
                changes.create(record, actor: request.actor, reason: request.reason)
                current[request.seat] = record
                outcomes.append(placement == .active ? .enrolled(record) : .waitlisted(record))
                continue
            }
            let outcome: EnrollmentOutcome
            switch record.status {
            case .completed:
                outcome = .alreadyEnrolled(record)
            case .suspended where request.liftsSuspension != nil && record.suspensionCause == request.liftsSuspension:
                record.suspensionCause = nil
                adopt(request, into: &record)
                record.mandatory = record.mandatory || request.mandatory
                changes.move(&record, to: .active, actor: request.actor, reason: request.reason ?? "suspension lifted")
                outcome = .enrolled(record)
            case .waitlisted, .active, .suspended:
                makeMandatory(&record, as: request, changes: &changes)
                outcome = .alreadyEnrolled(record)
            case .withdrawn, .expired:
                let placement = ledger.claim(request.course, role: request.role, mayWaitlist: request.mayWaitlist)
                guard placement != .full else {
                    outcomes.append(.rejected(.courseFull))
                    continue
                }
                adopt(request, into: &record)
                record.mandatory = request.mandatory
                record.role = request.role
                record.enrolledAt = now
                record.completedAt = nil
                record.suspensionCause = nil
                record.dueAt = request.dueAt
                record.expiresAt = nil
                if placement == .active { activate(&record, course: course, now: now) }
                changes.move(&record, to: placement == .active ? .active : .waitlisted, actor: request.actor, reason: request.reason)
                outcome = placement == .active ? .enrolled(record) : .waitlisted(record)
            }
            current[request.seat] = record
            outcomes.append(outcome)
        }
        try await save(changes, traceparent: traceparent, on: connection)
        return outcomes
    }

    private func newEnrollment(_ request: EnrollmentRequest, placement: SeatLedger.Placement, course: CourseSettings, now: Date) -> EnrollmentRecord {
        var record = EnrollmentRecord(
            enrollmentId: UUID(),
            tenantId: request.tenantId,
            courseId: request.courseId,
            userId: request.userId,
            cycle: 1,
            role: request.role,
            status: placement == .active ? .active : .waitlisted,
            source: request.source,
            sourceRef: request.sourceRef,
            enrolledAt: now,
            dueAt: request.dueAt,
            statusChangedAt: now,
            ruleId: request.rule?.ruleId,
            ruleVersion: request.rule?.ruleVersion,
            explanation: request.rule?.explanation,
            profileAnswers: request.profileAnswers,
            mandatory: request.mandatory,
            version: 1
        )
        if placement == .active { activate(&record, course: course, now: now) }
        return record
    }

    /// The request's provenance replaces the record's (a reopened enrollment belongs to whoever reopened it).
    private func adopt(_ request: EnrollmentRequest, into record: inout EnrollmentRecord) {
        record.source = request.source
        record.sourceRef = request.sourceRef
        record.ruleId = request.rule?.ruleId
        record.ruleVersion = request.rule?.ruleVersion
        record.explanation = request.rule?.explanation
        if let answers = request.profileAnswers { record.profileAnswers = answers }
    }

    /// A mandatory request for an enrollment that is not: it becomes mandatory (`lms.enrollment.updated`).
    private func makeMandatory(_ record: inout EnrollmentRecord, as request: EnrollmentRequest, changes: inout EnrollmentChangeSet) {
        guard request.mandatory, !record.mandatory else { return }
        record.mandatory = true
        changes.update(&record, actor: request.actor, reason: "made mandatory" + (request.reason.map { ": \($0)" } ?? ""))
    }

    /// Dates that start when a learner gets its seat: access expiry and (unless given) the due date.
    private func activate(_ record: inout EnrollmentRecord, course: CourseSettings?, now: Date) {
        if let days = course?.accessDays { record.expiresAt = now.addingDays(days) }
        if record.dueAt == nil, let days = course?.defaultDueDays { record.dueAt = now.addingDays(days) }
    }

    // MARK: Status changes

    /// Applies status changes to existing enrollments. Seats released by a change go to the
    /// longest-waiting learners in the same transaction.
    package func apply(_ actions: [LifecycleAction], on connection: PostgresConnection, traceparent: String? = nil) async throws -> [LifecycleOutcome]
    {
        guard !actions.isEmpty else { return [] }
        let now = clock.now()
        let ids = Array(Set(actions.map(\.enrollmentId)))
        let locked = try await courses.lock(try await enrollments.courses(of: ids, on: connection), on: connection)
        var current = try await enrollments.lock(ids, on: connection)
        var ledger = try await seatLedger(for: locked, on: connection)
        var changes = EnrollmentChangeSet(now: now)
        var outcomes: [LifecycleOutcome] = []

        for action in actions {
            guard var record = current[action.enrollmentId], record.tenantId == action.tenantId else {
                outcomes.append(.notFound)
                continue
            }
            let before = record
            switch LifecycleRules.decide(action.command, from: record.status, cause: record.suspensionCause) {
            case .unchanged:
                outcomes.append(.unchanged(record))
                continue
            case .refused(let why):
                outcomes.append(.refused(record, why))
                continue
            case .moveTo(let status):
                switch action.command {
                case .suspend(let cause): record.suspensionCause = cause
                case .complete(let at): record.completedAt = at
                default: break
                }
                if status != .suspended { record.suspensionCause = nil }
                changes.move(&record, to: status, actor: action.actor, reason: action.reason)
            case .needsSeat:
                let placement = ledger.claim(record.course, role: record.role, mayWaitlist: true)
                guard placement != .full else {
                    outcomes.append(.courseFull(record))
                    continue
                }
                record.completedAt = nil
                record.expiresAt = nil
                if placement == .active { activate(&record, course: locked[record.course], now: now) }
                changes.move(&record, to: placement == .active ? .active : .waitlisted, actor: action.actor, reason: action.reason)
            }
            if before.holdsSeat && !record.holdsSeat { ledger.release(record.course) }
            if action.excludesFromRule, record.status == .withdrawn, record.source == .rule, let ruleId = record.ruleId {
                changes.exclude(
                    RuleExclusion(
                        tenantId: record.tenantId,
                        ruleId: ruleId,
                        courseId: record.courseId,
                        userId: record.userId,
                        enrollmentId: record.enrollmentId,
                        actor: action.actor,
                        reason: action.reason,
                        createdAt: now
                    )
                )
            }
            current[action.enrollmentId] = record
            outcomes.append(.changed(record))
        }
        try await save(changes, traceparent: traceparent, on: connection)
        try await promote(ledger.freeSeats(in: ledger.released), ledger: ledger, on: connection, traceparent: traceparent)
        return outcomes
    }

    /// Fills free seats of `course` from its waitlist (after its capacity went up).
    package func fillSeats(of course: CourseKey, on connection: PostgresConnection, traceparent: String? = nil) async throws {
        let locked = try await courses.lock([course], on: connection)
        let ledger = try await seatLedger(for: locked, on: connection)
        try await promote(ledger.freeSeats(in: Set(locked.keys)), ledger: ledger, on: connection, traceparent: traceparent)
    }

    /// Activates the longest-waiting learners of each course, up to its free seats.
    private func promote(_ free: [CourseKey: Int], ledger: SeatLedger, on connection: PostgresConnection, traceparent: String?) async throws {
        guard !free.isEmpty else { return }
        let now = clock.now()
        var changes = EnrollmentChangeSet(now: now)
        for var record in try await enrollments.waitlistHeads(free, on: connection) {
            activate(&record, course: ledger.settings(of: record.course), now: now)
            changes.move(&record, to: .active, actor: "system", reason: "promoted from the waitlist: a seat became free")
        }
        try await save(changes, traceparent: traceparent, on: connection)
    }

    /// Writes `changes` and enqueues their events, in the caller's transaction.
    private func save(_ changes: EnrollmentChangeSet, traceparent: String?, on connection: PostgresConnection) async throws {
        try await enrollments.write(changes, on: connection)
        let events = try changes.events.map { event in
            try OutboxEvent(event.snapshot, type: event.type, source: eventSource, time: changes.now, traceparent: traceparent)
        }
        try await Outbox.enqueue(events, on: connection, logger: logger)
    }

    /// Seats held in the locked courses (only courses with a capacity are counted).
    private func seatLedger(for locked: [CourseKey: CourseSettings], on connection: PostgresConnection) async throws -> SeatLedger {
        let limited = locked.filter { $0.value.capacity != nil }.keys
        return SeatLedger(courses: locked, taken: try await enrollments.seatsTaken(in: limited, on: connection))
    }

    // MARK: Other changes

    /// Applies an edit (due date, mandatory flag) to an enrollment; `nil` when there is no such
    /// enrollment. An edit that changes nothing writes nothing.
    package func edit(
        _ enrollmentId: UUID,
        tenantId: String,
        _ edit: EnrollmentEdit,
        actor: String,
        reason: String?,
        on connection: PostgresConnection,
        traceparent: String? = nil
    ) async throws -> EnrollmentRecord? {
        _ = try await courses.lock(try await enrollments.courses(of: [enrollmentId], on: connection), on: connection)
        guard var record = try await enrollments.lock([enrollmentId], on: connection)[enrollmentId], record.tenantId == tenantId else {
            return nil
        }
        guard let note = edit.note(for: record) else { return record }
        var changes = EnrollmentChangeSet(now: clock.now())
        if let dueAt = edit.dueAt { record.dueAt = dueAt }
        if let mandatory = edit.mandatory { record.mandatory = mandatory }
        changes.update(&record, actor: actor, reason: note + (reason.map { ": \($0)" } ?? ""))
        try await save(changes, traceparent: traceparent, on: connection)
        return record
    }

    /// Opens the next cycle of completed enrollments whose certification lapsed (`completedAt` +
    /// `recertifyEveryDays`): a new `active` enrollment due `defaultDueDays` (or 30 days) after the lapse.
    package func openNextCycles(after completed: [EnrollmentRecord], on connection: PostgresConnection) async throws -> [EnrollmentRecord] {
        guard !completed.isEmpty else { return [] }
        let now = clock.now()
        let locked = try await courses.lock(Set(completed.map(\.course)), on: connection)
        var changes = EnrollmentChangeSet(now: now)
        var opened: [EnrollmentRecord] = []
        for previous in completed {
            guard let course = locked[previous.course], let every = course.recertifyEveryDays, let completedAt = previous.completedAt else {
                continue
            }
            let lapse = completedAt.addingDays(every)
            var record = previous
            record.enrollmentId = UUID()
            record.cycle = previous.cycle + 1
            record.status = .active
            record.enrolledAt = now
            record.statusChangedAt = now
            record.completedAt = nil
            record.suspensionCause = nil
            record.dueAt = lapse.addingDays(course.defaultDueDays ?? Self.defaultRecertificationDueDays)
            record.expiresAt = course.accessDays.map { now.addingDays($0) }
            record.version = 1
            changes.create(record, actor: "system", reason: "recertification: cycle \(previous.cycle) lapsed")
            opened.append(record)
        }
        try await save(changes, traceparent: nil, on: connection)
        return opened
    }
}

extension Date {
    /// This instant `days` whole days (of 86,400 seconds) later.
    package func addingDays(_ days: Int) -> Date {
        addingTimeInterval(Double(days) * 86_400)
    }
}
