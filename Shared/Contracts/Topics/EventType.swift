/// A CloudEvents `ce_type`. Known types are the `static let`s; unknown values still decode so a consumer
/// can route them to the DLQ instead of failing.
public struct EventType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    // MARK: platform.user-events.v1
    public static let userCreated = EventType("platform.user.created")
    public static let userUpdated = EventType("platform.user.updated")
    public static let userDeactivated = EventType("platform.user.deactivated")
    public static let userReactivated = EventType("platform.user.reactivated")
    public static let userErased = EventType("platform.user.erased")

    // MARK: platform.learning-activity.v1
    public static let learningActivity = EventType("platform.learning.activity")

    // MARK: lms.users.v1
    public static let lmsUserUpserted = EventType("lms.user.upserted")
    public static let lmsUserDeactivated = EventType("lms.user.deactivated")
    public static let lmsUserReactivated = EventType("lms.user.reactivated")
    public static let lmsUserErased = EventType("lms.user.erased")

    // MARK: lms.courses.v1
    public static let courseUpserted = EventType("lms.course.upserted")

    // MARK: lms.enrollment-commands.v1
    public static let enrollRequested = EventType("lms.enrollment.enroll-requested")
    public static let withdrawRequested = EventType("lms.enrollment.withdraw-requested")
    public static let suspendRequested = EventType("lms.enrollment.suspend-requested")

    // MARK: lms.enrollments.v1
    public static let enrollmentCreated = EventType("lms.enrollment.created")
    public static let enrollmentStatusChanged = EventType("lms.enrollment.status-changed")
    public static let enrollmentUpdated = EventType("lms.enrollment.updated")

    // MARK: lms.progress.v1
    public static let progressUpdated = EventType("lms.progress.updated")
    public static let progressCompleted = EventType("lms.progress.completed")
    public static let progressOverdue = EventType("lms.progress.overdue")

    // MARK: report topics
    public static let courseSummaryReport = EventType("lms.report.course-summary")
    public static let complianceReport = EventType("lms.report.compliance")

    // lms.segment-memberships.v1 (rules-worker)
    public static let segmentMembershipChanged = EventType("lms.segment.membership-changed")

    // MARK: lms.resync-requests.v1 and lms.resync.v1 (per-tenant re-announcement for report rebuilds)
    public static let resyncRequested = EventType("lms.resync.requested")
    public static let resyncPage = EventType("lms.resync.page")
    public static let resyncCompleted = EventType("lms.resync.completed")

    /// Every type of the contract, in topic order.
    public static let all: [EventType] = Topic.allCases.flatMap(\.eventTypes)

    private static let topicsByType: [EventType: Topic] = {
        var result: [EventType: Topic] = [:]
        for topic in Topic.allCases {
            for type in topic.eventTypes {
                result[type] = topic
            }
        }
        return result
    }()

    /// Whether this is one of the contract's types.
    public var isKnown: Bool { Self.topicsByType[self] != nil }

    /// The topic this type is published on; `nil` for unknown types.
    public var topic: Topic? { Self.topicsByType[self] }

    /// File name stem of the JSON Schema of this type's payload (`Schemas/<schemaName>.schema.json`).
    /// Types sharing a payload share a schema. Unknown types return their raw value (no such file exists).
    public var schemaName: String {
        switch self {
        case .userDeactivated, .userReactivated, .userErased: "platform.user.lifecycle"
        case .lmsUserDeactivated, .lmsUserReactivated, .lmsUserErased: "lms.user.lifecycle"
        case .withdrawRequested, .suspendRequested: "lms.enrollment.change-requested"
        case .enrollmentCreated, .enrollmentStatusChanged, .enrollmentUpdated: "lms.enrollment"
        case .progressUpdated, .progressCompleted, .progressOverdue: "lms.progress"
        default: rawValue
        }
    }

    public var description: String { rawValue }
}
