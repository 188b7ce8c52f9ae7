import Contracts
import Foundation

/// The changes of one transaction, collected in memory and then written with a handful of
/// multi-row statements by ``EnrollmentRepository/write(_:on:)``: new enrollments, changed
/// enrollments, their transitions and rule exclusions, plus the `lms.enrollment.*` events the
/// workflow enqueues in the same transaction.
package struct EnrollmentChangeSet: Sendable {
    package private(set) var inserted: [EnrollmentRecord] = []
    private var insertedIndex: [UUID: Int] = [:]
    /// Changed enrollments by id (the last state wins) in first-change order.
    package private(set) var updated: [EnrollmentRecord] = []
    private var updatedIndex: [UUID: Int] = [:]
    package private(set) var transitions: [TransitionRecord] = []
    package private(set) var exclusions: [RuleExclusion] = []
    /// The events of the changes, in the order they happened.
    package private(set) var events: [Event] = []
    /// The time of every change in the set.
    package let now: Date

    /// An `lms.enrollment.*` event: its type and the enrollment snapshot it carries.
    package struct Event: Sendable, Equatable {
        package var type: EventType
        package var snapshot: EnrollmentSnapshot
    }

    package init(now: Date) {
        self.now = now
    }

    package var isEmpty: Bool { inserted.isEmpty && updated.isEmpty && exclusions.isEmpty }

    /// A new enrollment (version 1): its initial transition and `lms.enrollment.created`.
    package mutating func create(_ record: EnrollmentRecord, actor: String, reason: String?) {
        insertedIndex[record.enrollmentId] = inserted.count
        inserted.append(record)
        let transition = StatusTransition(from: nil, to: record.status, reason: Self.clamp(reason), actor: actor)
        transitions.append(TransitionRecord(enrollmentId: record.enrollmentId, transition: transition, at: now))
        events.append(Event(type: .enrollmentCreated, snapshot: record.snapshot(transition: transition)))
    }

    /// Moves `record` to `status` (fields set beforehand are kept): a transition and
    /// `lms.enrollment.status-changed`.
    package mutating func move(_ record: inout EnrollmentRecord, to status: EnrollmentStatus, actor: String, reason: String?) {
        let transition = StatusTransition(from: record.status, to: status, reason: Self.clamp(reason), actor: actor)
        record.status = status
        record.statusChangedAt = now
        record.version += 1
        store(record)
        transitions.append(TransitionRecord(enrollmentId: record.enrollmentId, transition: transition, at: now))
        events.append(Event(type: .enrollmentStatusChanged, snapshot: record.snapshot(transition: transition)))
    }

    /// A change without a status change (due date, rule provenance): `lms.enrollment.updated`.
    /// With an `actor`, the history records it as a transition to the same status.
    package mutating func update(_ record: inout EnrollmentRecord, actor: String? = nil, reason: String? = nil) {
        record.version += 1
        store(record)
        if let actor {
            let note = StatusTransition(from: record.status, to: record.status, reason: Self.clamp(reason), actor: actor)
            transitions.append(TransitionRecord(enrollmentId: record.enrollmentId, transition: note, at: now))
        }
        events.append(Event(type: .enrollmentUpdated, snapshot: record.snapshot()))
    }

    package mutating func exclude(_ exclusion: RuleExclusion) {
        exclusions.append(exclusion)
    }

    private mutating func store(_ record: EnrollmentRecord) {
        if let index = insertedIndex[record.enrollmentId] {
            inserted[index] = record
        } else if let index = updatedIndex[record.enrollmentId] {
            updated[index] = record
        } else {
            updatedIndex[record.enrollmentId] = updated.count
            updated.append(record)
        }
    }

    /// Reasons are kept to the contract's 1,024 characters (composed ones may run longer).
    static func clamp(_ reason: String?) -> String? {
        guard let reason, reason.unicodeScalars.count > 1024 else { return reason }
        var clamped = String.UnicodeScalarView()
        clamped.append(contentsOf: reason.unicodeScalars.prefix(1024))
        return String(clamped)
    }
}
