import Contracts
import Foundation

/// A scripted sequence of course, user, enrollment and progress events, and the facts it should
/// leave behind, kept in plain Swift so the tests can compute every report independently.
struct Scenario {
    struct User {
        var tenant = "acme"
        var id: String
        var department: String?
        var location: String?
        var jobRole: String?
        var version: Int64 = 1
    }

    /// One enrollment's final state, as the test expects the read model to hold it.
    struct Fact {
        var tenant = "acme"
        var enrollmentId = UUID()
        var course: String
        var user: String
        var cycle = 1
        var role: EnrollmentRole = .learner
        var status: EnrollmentStatus
        var source: EnrollmentSource
        var enrolledAt: Date
        var dueAt: Date?
        var completedAt: Date?
        var percent: Double = 0
        var progressOverdue = false
        var hasProgress = false
    }

    var now: Date
    var users: [User]
    var facts: [Fact]
    let courses = [("safety", "Safety 101"), ("privacy", "Privacy <basics> & more")]

    init(now: Date) {
        self.now = now
        func day(_ offset: Double) -> Date { now.addingTimeInterval(offset * 86_400) }
        users = [
            User(id: "u1", department: "Sales", location: "Berlin", jobRole: "Rep"),
            User(id: "u2", department: "Sales", location: "Paris", jobRole: "Rep"),
            User(id: "u3", department: "Engineering", location: "Berlin", jobRole: "Developer"),
            User(id: "u4", department: "Engineering", location: "Paris", jobRole: "Developer"),
            User(id: "u5", department: nil, location: "Berlin", jobRole: nil),
            User(id: "u6", department: "Sales", location: "Berlin", jobRole: "Manager"),
            User(id: "u7", department: "Engineering", location: "Berlin", jobRole: "Developer"),
            User(id: "u8", department: "HR", location: "Paris", jobRole: nil),
            User(id: "i1", department: "Training", location: "Berlin", jobRole: "Trainer"),
            User(tenant: "globex", id: "g1", department: "Sales", location: "Berlin", jobRole: "Rep"),
        ]
        facts = [
            Fact(course: "safety", user: "u1", status: .active, source: .manual, enrolledAt: day(-9), dueAt: day(-2), percent: 40, hasProgress: true),
            Fact(
                course: "safety", user: "u2", status: .completed, source: .rule, enrolledAt: day(-10), dueAt: day(5), completedAt: day(-4),
                percent: 100, hasProgress: true),
            Fact(
                course: "safety", user: "u3", status: .active, source: .selfEnrollment, enrolledAt: day(-3), dueAt: day(5), percent: 60,
                hasProgress: true),
            Fact(course: "safety", user: "u4", status: .withdrawn, source: .manual, enrolledAt: day(-8)),
            Fact(
                course: "safety", user: "u5", status: .active, source: .import, enrolledAt: day(-30), percent: 20, progressOverdue: true,
                hasProgress: true),
            Fact(
                course: "safety", user: "u6", status: .completed, source: .rule, enrolledAt: day(-400), dueAt: day(-370), completedAt: day(-390),
                percent: 100, hasProgress: true),
            Fact(
                course: "safety", user: "u6", cycle: 2, status: .active, source: .rule, enrolledAt: day(-35), dueAt: day(-1), percent: 10,
                hasProgress: true),
            Fact(course: "safety", user: "u7", status: .waitlisted, source: .selfEnrollment, enrolledAt: day(-1)),
            Fact(
                course: "safety", user: "u8", status: .suspended, source: .api, enrolledAt: day(-12), dueAt: day(-3), percent: 50, hasProgress: true),
            Fact(course: "safety", user: "i1", role: .instructor, status: .active, source: .manual, enrolledAt: day(-50)),
            Fact(
                course: "privacy", user: "u1", status: .completed, source: .manual, enrolledAt: day(-20), dueAt: day(-10), completedAt: day(-18),
                percent: 100, hasProgress: true),
            Fact(
                course: "privacy", user: "u3", status: .active, source: .manual, enrolledAt: day(-2), dueAt: day(10), percent: 10, hasProgress: true),
            Fact(course: "privacy", user: "u5", status: .expired, source: .rule, enrolledAt: day(-200)),
            Fact(
                tenant: "globex", course: "safety", user: "g1", status: .completed, source: .manual, enrolledAt: day(-5), completedAt: day(-1),
                percent: 100, hasProgress: true),
        ]
    }

    // MARK: Events

    func courseEvents() throws -> [CloudEvent] {
        try ["acme", "globex"].flatMap { tenant in
            try courses.map { id, title in
                try CloudEvent.make(
                    CourseSettings(
                        tenantId: tenant, courseId: id, title: title, waitlist: false, selfEnrollment: .init(enabled: false), modules: [],
                        version: 1, updatedAt: now), source: "/lms/enrollment-service")
            }
        }
    }

    func userEvents() throws -> [CloudEvent] {
        try users.map(userEvent)
    }

    func userEvent(_ user: User) throws -> CloudEvent {
        try CloudEvent.make(
            UserSnapshot(
                tenantId: user.tenant, userId: user.id, jobRole: user.jobRole, department: user.department, location: user.location,
                status: .active, changedFields: ["department"], version: user.version, updatedAt: now),
            source: "/lms/user-service")
    }

    /// Each enrollment's history: created (active or waitlisted) as version 1, the final status as version 2.
    func enrollmentEvents() throws -> (initial: [CloudEvent], final: [CloudEvent]) {
        var initial: [CloudEvent] = []
        var final: [CloudEvent] = []
        for fact in facts {
            let first: EnrollmentStatus = fact.status == .waitlisted ? .waitlisted : .active
            initial.append(try enrollmentEvent(fact, status: first, completedAt: nil, version: 1))
            if fact.status != first {
                final.append(try enrollmentEvent(fact, status: fact.status, completedAt: fact.completedAt, version: 2))
            }
        }
        return (initial, final)
    }

    func enrollmentEvent(_ fact: Fact, status: EnrollmentStatus, completedAt: Date?, version: Int64) throws -> CloudEvent {
        try CloudEvent.make(
            EnrollmentSnapshot(
                enrollmentId: fact.enrollmentId, tenantId: fact.tenant, courseId: fact.course, userId: fact.user, role: fact.role,
                status: status, source: fact.source, enrolledAt: fact.enrolledAt, dueAt: fact.dueAt, completedAt: completedAt,
                cycle: fact.cycle, version: version),
            type: version == 1 ? .enrollmentCreated : .enrollmentStatusChanged,
            source: "/lms/enrollment-service")
    }

    func progressEvents(version: Int64 = 1) throws -> [CloudEvent] {
        try facts.filter(\.hasProgress).map { try progressEvent($0, percent: $0.percent, version: version) }
    }

    func progressEvent(_ fact: Fact, percent: Double, version: Int64) throws -> CloudEvent {
        try CloudEvent.make(
            ProgressSnapshot(
                tenantId: fact.tenant, enrollmentId: fact.enrollmentId, userId: fact.user, courseId: fact.course, percent: percent,
                status: fact.status == .completed ? .completed : .inProgress, timeSpentSeconds: 60, completedModules: [],
                lastActivityAt: now, dueAt: fact.dueAt, overdue: fact.progressOverdue, completedAt: fact.completedAt, cycle: fact.cycle,
                version: version),
            type: fact.status == .completed ? .progressCompleted : (fact.progressOverdue ? .progressOverdue : .progressUpdated),
            source: "/lms/progress-service")
    }

    // MARK: Expected reports, computed independently

    func user(_ tenant: String, _ id: String) -> User? { users.first { $0.tenant == tenant && $0.id == id } }

    func value(of user: User?, _ dimension: ComplianceDimension) -> String {
        switch dimension {
        case .department: user?.department ?? ""
        case .location: user?.location ?? ""
        case .jobRole: user?.jobRole ?? ""
        }
    }

    func isOverdue(_ fact: Fact) -> Bool {
        fact.status == .active && (fact.progressOverdue || (fact.dueAt.map { $0 < now } ?? false))
    }

    struct Summary: Equatable {
        var enrolled: Int
        var byStatus: [String: Int]
        var bySource: [String: Int]
        var completionRate: Double
        var averagePercent: Double
        var overdue: Int
        var medianDays: Double?
    }

    func summary(tenant: String = "acme", course: String) -> Summary {
        let learners = facts.filter { $0.tenant == tenant && $0.course == course && $0.role == .learner }
        var byStatus = Dictionary(uniqueKeysWithValues: EnrollmentStatus.allCases.map { ($0.rawValue, 0) })
        var bySource = Dictionary(uniqueKeysWithValues: EnrollmentSource.allCases.map { ($0.rawValue, 0) })
        for fact in learners {
            byStatus[fact.status.rawValue, default: 0] += 1
            bySource[fact.source.rawValue, default: 0] += 1
        }
        let completed = learners.filter { $0.status == .completed }
        let percents = learners.map { $0.status == .completed ? 100 : $0.percent }
        let days = completed.compactMap { fact in fact.completedAt.map { $0.timeIntervalSince(fact.enrolledAt) / 86_400 } }.sorted()
        var median: Double?
        if !days.isEmpty {
            median = days.count % 2 == 1 ? days[days.count / 2] : (days[days.count / 2 - 1] + days[days.count / 2]) / 2
        }
        return Summary(
            enrolled: learners.count, byStatus: byStatus, bySource: bySource,
            completionRate: learners.isEmpty ? 0 : Double(completed.count) / Double(learners.count),
            averagePercent: percents.isEmpty ? 0 : percents.reduce(0, +) / Double(percents.count),
            overdue: learners.filter(isOverdue).count, medianDays: median)
    }

    struct Compliance: Equatable {
        var assigned: Int
        var completed: Int
        var overdue: Int
        var rate: Double
    }

    /// Each learner's latest cycle of the course.
    func latest(tenant: String, course: String) -> [Fact] {
        var latest: [String: Fact] = [:]
        for fact in facts where fact.tenant == tenant && fact.course == course && fact.role == .learner {
            if let seen = latest[fact.user], seen.cycle >= fact.cycle { continue }
            latest[fact.user] = fact
        }
        return Array(latest.values)
    }

    func compliance(tenant: String = "acme", course: String, dimension: ComplianceDimension, value: String) -> Compliance {
        let members = latest(tenant: tenant, course: course).filter { self.value(of: user(tenant, $0.user), dimension) == value }
        let assigned = members.filter { $0.status != .withdrawn }.count
        let completed = members.filter { $0.status == .completed }.count
        return Compliance(
            assigned: assigned, completed: completed, overdue: members.filter(isOverdue).count,
            rate: assigned == 0 ? 0 : Double(completed) / Double(assigned))
    }

    /// The groups that exist for a course by a dimension.
    func groups(tenant: String = "acme", course: String, dimension: ComplianceDimension) -> [String] {
        Set(latest(tenant: tenant, course: course).map { value(of: user(tenant, $0.user), dimension) }).sorted()
    }
}
