/// Every Kafka topic of the public contract.
public enum Topic: String, CaseIterable, Sendable, Codable {
    case platformUserEvents = "platform.user-events.v1"
    case platformLearningActivity = "platform.learning-activity.v1"
    case users = "lms.users.v1"
    case courses = "lms.courses.v1"
    case enrollmentCommands = "lms.enrollment-commands.v1"
    case enrollments = "lms.enrollments.v1"
    case progress = "lms.progress.v1"
    case courseSummaryReports = "lms.reports.course-summary.v1"
    case complianceReports = "lms.reports.compliance.v1"
    /// Not in the original contract table: rules-worker announces who entered or left a segment,
    /// so enrollment-service can enforce `selfEnrollment.restrictToSegmentId` from a projection.
    case segmentMemberships = "lms.segment-memberships.v1"
    /// Not in the original contract table: report-service asks the owners of users, courses,
    /// enrollments and progress to re-announce one tenant's state (a per-tenant report rebuild) ...
    case resyncRequests = "lms.resync-requests.v1"
    /// ... and they answer here, in numbered pages followed by a completion per source.
    case resync = "lms.resync.v1"
    case deadLetter = "lms.dlq.v1"

    /// The Kafka topic name.
    public var name: String { rawValue }

    /// The topic with this Kafka name, if it is part of the contract.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    /// Input from the rest of the platform (`platform.*`): checked against its JSON Schema before a
    /// handler sees it. The `lms.*` topics carry what this system's services produced themselves.
    public var isPlatformInput: Bool { rawValue.hasPrefix("platform.") }

    /// Report topics keep only the latest value per key (`cleanup.policy=compact`).
    public var isCompacted: Bool {
        switch self {
        case .courseSummaryReports, .complianceReports: true
        default: false
        }
    }

    /// The `ce_type`s allowed on this topic. Empty for the DLQ, which carries any original message.
    public var eventTypes: [EventType] {
        switch self {
        case .platformUserEvents:
            [.userCreated, .userUpdated, .userDeactivated, .userReactivated, .userErased]
        case .platformLearningActivity:
            [.learningActivity]
        case .users:
            [.lmsUserUpserted, .lmsUserDeactivated, .lmsUserReactivated, .lmsUserErased]
        case .courses:
            [.courseUpserted]
        case .enrollmentCommands:
            [.enrollRequested, .withdrawRequested, .suspendRequested]
        case .enrollments:
            [.enrollmentCreated, .enrollmentStatusChanged, .enrollmentUpdated]
        case .progress:
            [.progressUpdated, .progressCompleted, .progressOverdue]
        case .courseSummaryReports:
            [.courseSummaryReport]
        case .complianceReports:
            [.complianceReport]
        case .segmentMemberships:
            [.segmentMembershipChanged]
        case .resyncRequests:
            [.resyncRequested]
        case .resync:
            [.resyncPage, .resyncCompleted]
        case .deadLetter:
            []
        }
    }
}
