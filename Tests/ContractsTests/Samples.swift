import Contracts
import Foundation
import Testing

/// Hand-built payloads of every contract type, with all optional fields set ("full") and with none ("minimal").
/// Instants are whole milliseconds, the precision the wire carries.
enum Samples {
    static let instant = Date(timeIntervalSince1970: 1_796_891_813.123)  // 2026-12-10T08:36:53.123Z
    static let later = Date(timeIntervalSince1970: 1_799_000_000.5)
    static let ruleId = UUID(uuid: (0x6B, 0xA7, 0xB8, 0x10, 0x9D, 0xAD, 0x11, 0xD1, 0x80, 0xB4, 0x00, 0xC0, 0x4F, 0xD4, 0x30, 0xC8))
    static let enrollmentId = UUID(uuid: (0x0B, 0x6A, 0x2F, 0x5E, 0x3C, 0x1D, 0x4E, 0x8A, 0x9F, 0x3B, 0x6D, 0x2C, 0x1A, 0x0E, 0x9B, 0x7F))
    static let hireDate = CalendarDate(year: 2024, month: 2, day: 29)

    static let explanation = RuleExplanation(
        ruleId: ruleId,
        ruleVersion: 3,
        ruleName: "Safety training for warehouse staff",
        matched: true,
        conditions: [
            ConditionExplanation(field: "department", op: "eq", expected: "Warehouse", actual: "Warehouse", result: true),
            ConditionExplanation(field: "attributes.shift", op: "in", expected: ["day", "night"], actual: nil, result: false),
            ConditionExplanation(field: "email", op: "exists", result: true),
            ConditionExplanation(
                field: "hireDate",
                op: "withinLastDays",
                expected: 90,
                actual: ["nested": ["a": 1.5, "b": nil]],
                result: true
            ),
        ]
    )

    static let userSnapshot = UserSnapshot(
        tenantId: "acme",
        userId: "u-1",
        email: "ada@acme.example",
        givenName: "Ada",
        familyName: "Lovelace",
        jobRole: "Engineer",
        department: "R&D",
        location: "London",
        hireDate: hireDate,
        managerId: "u-7",
        attributes: ["costCenter": "CC-42"],
        status: .active,
        changedFields: ["email", "attributes.costCenter"],
        version: 4,
        updatedAt: instant
    )

    static let courseMinimal = CourseSettings(
        tenantId: "acme",
        courseId: "c",
        title: "T",
        waitlist: false,
        selfEnrollment: SelfEnrollmentSettings(enabled: false),
        modules: [],
        version: 0,
        updatedAt: instant
    )

    static let enrollmentCreated = EnrollmentSnapshot(
        enrollmentId: enrollmentId,
        tenantId: "acme",
        courseId: "c",
        userId: "u-1",
        role: .learner,
        status: .active,
        source: .rule,
        sourceRef: "\(ruleId.uuidString.lowercased())@3",
        enrolledAt: instant,
        dueAt: later,
        expiresAt: later,
        completedAt: nil,
        cycle: 1,
        version: 1,
        transition: StatusTransition(to: .active, actor: "rule:\(ruleId.uuidString.lowercased())"),
        mandatory: true
    )

    static let progressUpdated = ProgressSnapshot(
        tenantId: "acme",
        enrollmentId: enrollmentId,
        userId: "u-1",
        courseId: "c",
        percent: 50,
        status: .inProgress,
        score: 75.5,
        timeSpentSeconds: 1200,
        completedModules: ["m-1"],
        lastActivityAt: instant,
        dueAt: later,
        overdue: false,
        cycle: 1,
        version: 3
    )

    /// (event type, payload): every type of the contract appears at least once.
    static let all: [PayloadSample] = [
        PayloadSample(
            "created full",
            .userCreated,
            PlatformUserCreated(
                tenantId: "acme-corp",
                userId: "u-1001",
                email: "ada@acme.example",
                givenName: "Ada",
                familyName: "Lovelace",
                jobRole: "Engineer",
                department: "R&D",
                location: "London",
                hireDate: hireDate,
                managerId: "u-7",
                attributes: ["costCenter": "CC-42", "fte": 0.8, "remote": true, "level": 3],
                sourceVersion: 1_732_870_613_123_456
            )
        ),
        PayloadSample(
            "created minimal",
            .userCreated,
            PlatformUserCreated(
                tenantId: "acme",
                userId: "u-1",
                email: "x@y.io",
                givenName: "X",
                familyName: ""
            )
        ),
        PayloadSample(
            "updated",
            .userUpdated,
            PlatformUserUpdated(
                tenantId: "acme",
                userId: "u-1",
                changes: ["email": "new@acme.example", "department": nil, "attributes": ["shift": "night", "old": nil]],
                sourceVersion: 8
            )
        ),
        PayloadSample("updated minimal", .userUpdated, PlatformUserUpdated(tenantId: "acme", userId: "u-1", changes: [:])),
        PayloadSample(
            "deactivated",
            .userDeactivated,
            PlatformUserLifecycle(
                tenantId: "acme",
                userId: "u-1",
                reason: "left",
                sourceVersion: 9
            )
        ),
        PayloadSample("reactivated", .userReactivated, PlatformUserLifecycle(tenantId: "acme", userId: "u-1")),
        PayloadSample("erased", .userErased, PlatformUserLifecycle(tenantId: "acme", userId: "u-1", reason: "GDPR request")),
        PayloadSample(
            "activity full",
            .learningActivity,
            LearningActivity(
                tenantId: "acme",
                statementId: enrollmentId,
                userId: "u-1",
                courseId: "safety-101",
                moduleId: "m-2",
                verb: .progressed,
                progress: 0.5,
                score: 88.5,
                durationSeconds: 600,
                occurredAt: instant
            )
        ),
        PayloadSample(
            "activity minimal",
            .learningActivity,
            LearningActivity(
                tenantId: "acme",
                statementId: ruleId,
                userId: "u-1",
                courseId: "c",
                moduleId: "m",
                verb: .started,
                occurredAt: instant
            )
        ),
        PayloadSample("user snapshot", .lmsUserUpserted, userSnapshot),
        PayloadSample(
            "erased snapshot",
            .lmsUserUpserted,
            UserSnapshot(
                tenantId: "acme",
                userId: "u-1",
                status: .erased,
                changedFields: [],
                version: 5,
                updatedAt: instant
            )
        ),
        PayloadSample(
            "lms deactivated",
            .lmsUserDeactivated,
            UserLifecycleEvent(
                tenantId: "acme",
                userId: "u-1",
                reason: "left",
                version: 6,
                occurredAt: instant
            )
        ),
        PayloadSample(
            "lms reactivated",
            .lmsUserReactivated,
            UserLifecycleEvent(
                tenantId: "acme",
                userId: "u-1",
                version: 7,
                occurredAt: instant
            )
        ),
        PayloadSample(
            "lms erased",
            .lmsUserErased,
            UserLifecycleEvent(
                tenantId: "acme",
                userId: "u-1",
                version: 8,
                occurredAt: instant
            )
        ),
        PayloadSample(
            "course full",
            .courseUpserted,
            CourseSettings(
                tenantId: "acme",
                courseId: "safety-101",
                title: "Warehouse safety",
                capacity: 30,
                waitlist: true,
                enrollmentOpensAt: instant,
                enrollmentClosesAt: later,
                selfEnrollment: SelfEnrollmentSettings(
                    enabled: true,
                    requiredProfileFields: ["department"],
                    restrictToSegmentId: enrollmentId
                ),
                defaultDueDays: 30,
                accessDays: 365,
                recertifyEveryDays: 730,
                modules: ["m-1", "m-2"],
                passingScore: 80,
                version: 2,
                updatedAt: instant
            )
        ),
        PayloadSample("course minimal", .courseUpserted, courseMinimal),
        PayloadSample(
            "enroll",
            .enrollRequested,
            EnrollCommand(
                tenantId: "acme",
                userId: "u-1",
                courseId: "safety-101",
                ruleId: ruleId,
                ruleVersion: 3,
                dueAt: later,
                explanation: explanation,
                idempotencyKey: "rule:\(ruleId.uuidString.lowercased())/3/u-1/safety-101",
                mandatory: false
            )
        ),
        PayloadSample(
            "enroll minimal",
            .enrollRequested,
            EnrollCommand(
                tenantId: "acme",
                userId: "u-1",
                courseId: "c",
                ruleId: ruleId,
                ruleVersion: 1,
                explanation: RuleExplanation(ruleId: ruleId, ruleVersion: 1, ruleName: "R", matched: true, conditions: []),
                idempotencyKey: "k"
            )
        ),
        PayloadSample(
            "withdraw",
            .withdrawRequested,
            EnrollmentChangeCommand(
                tenantId: "acme",
                userId: "u-1",
                courseId: "c",
                ruleId: ruleId,
                ruleVersion: 4,
                reason: "no longer matches",
                idempotencyKey: "k2",
                explanation: explanation
            )
        ),
        PayloadSample(
            "withdraw only if not started",
            .withdrawRequested,
            EnrollmentChangeCommand(
                tenantId: "acme",
                userId: "u-1",
                courseId: "c",
                ruleId: ruleId,
                ruleVersion: 5,
                reason: "no longer matches",
                idempotencyKey: "k4",
                onlyIfNotStarted: true
            )
        ),
        PayloadSample(
            "suspend",
            .suspendRequested,
            EnrollmentChangeCommand(
                tenantId: "acme",
                userId: "u-1",
                courseId: "c",
                ruleId: ruleId,
                ruleVersion: 4,
                reason: "paused",
                idempotencyKey: "k3"
            )
        ),
        PayloadSample("enrollment created", .enrollmentCreated, enrollmentCreated),
        PayloadSample(
            "enrollment status changed",
            .enrollmentStatusChanged,
            EnrollmentSnapshot(
                enrollmentId: enrollmentId,
                tenantId: "acme",
                courseId: "c",
                userId: "u-1",
                role: .instructor,
                status: .completed,
                source: .selfEnrollment,
                enrolledAt: instant,
                completedAt: later,
                cycle: 2,
                version: 5,
                transition: StatusTransition(from: .active, to: .completed, reason: "all modules done", actor: "system")
            )
        ),
        PayloadSample(
            "enrollment updated",
            .enrollmentUpdated,
            EnrollmentSnapshot(
                enrollmentId: enrollmentId,
                tenantId: "acme",
                courseId: "c",
                userId: "u-1",
                role: .learner,
                status: .waitlisted,
                source: .import,
                enrolledAt: instant,
                cycle: 1,
                version: 2
            )
        ),
        PayloadSample("progress updated", .progressUpdated, progressUpdated),
        PayloadSample(
            "progress completed",
            .progressCompleted,
            ProgressSnapshot(
                tenantId: "acme",
                enrollmentId: enrollmentId,
                userId: "u-1",
                courseId: "c",
                percent: 100,
                status: .completed,
                timeSpentSeconds: 2400,
                completedModules: ["m-1", "m-2"],
                overdue: false,
                completedAt: instant,
                completedLate: true,
                cycle: 1,
                version: 4
            )
        ),
        PayloadSample(
            "progress overdue",
            .progressOverdue,
            ProgressSnapshot(
                tenantId: "acme",
                enrollmentId: enrollmentId,
                userId: "u-1",
                courseId: "c",
                percent: 0,
                status: .notStarted,
                timeSpentSeconds: 0,
                completedModules: [],
                dueAt: instant,
                overdue: true,
                cycle: 1,
                version: 5
            )
        ),
        PayloadSample(
            "course summary",
            .courseSummaryReport,
            CourseSummaryReport(
                tenantId: "acme",
                courseId: "c",
                asOf: instant,
                enrolled: 10,
                byStatus: ["active": 7, "completed": 3],
                bySource: ["rule": 8, "self": 2],
                completionRate: 0.3,
                averagePercent: 42.5,
                overdue: 1,
                medianDaysToComplete: 6.5,
                version: 12
            )
        ),
        PayloadSample(
            "course summary empty",
            .courseSummaryReport,
            CourseSummaryReport(
                tenantId: "acme",
                courseId: "c",
                asOf: instant,
                enrolled: 0,
                byStatus: [:],
                bySource: [:],
                completionRate: 0,
                averagePercent: 0,
                overdue: 0,
                version: 0
            )
        ),
        PayloadSample(
            "compliance",
            .complianceReport,
            ComplianceReport(
                tenantId: "acme",
                courseId: "c",
                dimension: .jobRole,
                value: "Forklift operator",
                asOf: instant,
                assigned: 20,
                completed: 15,
                overdue: 2,
                complianceRate: 0.75,
                version: 3
            )
        ),
        PayloadSample(
            "segment membership",
            .segmentMembershipChanged,
            SegmentMembershipChanged(
                tenantId: "acme",
                segmentId: ruleId,
                userId: "u-1",
                member: true,
                version: 4,
                changedAt: instant
            )
        ),
        PayloadSample("resync requested", .resyncRequested, ResyncRequest(tenantId: "acme", resyncId: ruleId, requestedAt: instant)),
        PayloadSample(
            "resync requested one source",
            .resyncRequested,
            ResyncRequest(
                tenantId: "acme",
                resyncId: ruleId,
                sources: [.progress],
                requestedAt: instant
            )
        ),
        PayloadSample(
            "resync page users",
            .resyncPage,
            ResyncPage(
                tenantId: "acme",
                resyncId: ruleId,
                page: 0,
                items: .users([
                    userSnapshot,
                    UserSnapshot(tenantId: "acme", userId: "u-2", status: .deactivated, changedFields: [], version: 2, updatedAt: later),
                ])
            )
        ),
        PayloadSample("resync page courses", .resyncPage, ResyncPage(tenantId: "acme", resyncId: ruleId, page: 1, items: .courses([courseMinimal]))),
        PayloadSample(
            "resync page enrollments",
            .resyncPage,
            ResyncPage(tenantId: "acme", resyncId: ruleId, page: 7, items: .enrollments([enrollmentCreated]))
        ),
        PayloadSample(
            "resync page progress", .resyncPage, ResyncPage(tenantId: "acme", resyncId: ruleId, page: 0, items: .progress([progressUpdated]))),
        PayloadSample(
            "resync completed",
            .resyncCompleted,
            ResyncCompleted(
                tenantId: "acme",
                resyncId: ruleId,
                source: .enrollments,
                pages: 8,
                items: 1_401,
                completedAt: later
            )
        ),
        PayloadSample(
            "resync completed empty",
            .resyncCompleted,
            ResyncCompleted(
                tenantId: "acme",
                resyncId: ruleId,
                source: .users,
                pages: 0,
                items: 0,
                completedAt: instant
            )
        ),
    ]
}

/// A payload of any contract type with the event type it is sent as.
struct PayloadSample: Sendable, CustomTestStringConvertible {
    let name: String
    let type: EventType
    let payload: any EventPayload

    init(_ name: String, _ type: EventType, _ payload: any EventPayload) {
        self.name = name
        self.type = type
        self.payload = payload
    }

    var testDescription: String { "\(type) \(name)" }
}
