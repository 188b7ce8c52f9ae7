import Contracts

/// Seat accounting for courses locked in the current transaction: starts from the seats taken in
/// the database and follows every claim and release made by the transaction, so many enrollments
/// of one batch are placed without re-counting and without overbooking.
package struct SeatLedger: Sendable {
    package enum Placement: Sendable, Equatable {
        case active
        case waitlisted
        case full
    }

    private let courses: [CourseKey: CourseSettings]
    private var taken: [CourseKey: Int]
    /// Courses that lost a seat holder: their waitlist may move up.
    package private(set) var released: Set<CourseKey> = []

    package init(courses: [CourseKey: CourseSettings], taken: [CourseKey: Int]) {
        self.courses = courses
        self.taken = taken
    }

    package func settings(of course: CourseKey) -> CourseSettings? {
        courses[course]
    }

    /// Places a new seat holder of `role`: instructors never need a seat.
    package mutating func claim(_ course: CourseKey, role: EnrollmentRole, mayWaitlist: Bool) -> Placement {
        guard role == .learner, let settings = courses[course], let capacity = settings.capacity else { return .active }
        let used = taken[course, default: 0]
        if used < capacity {
            taken[course] = used + 1
            return .active
        }
        return settings.waitlist && mayWaitlist ? .waitlisted : .full
    }

    package mutating func release(_ course: CourseKey) {
        taken[course] = max(0, taken[course, default: 0] - 1)
        released.insert(course)
    }

    /// Free seats per course with a capacity (only courses with at least one).
    package func freeSeats(in courses: Set<CourseKey>) -> [CourseKey: Int] {
        var result: [CourseKey: Int] = [:]
        for course in courses {
            guard let capacity = self.courses[course]?.capacity else { continue }
            let free = capacity - taken[course, default: 0]
            if free > 0 { result[course] = free }
        }
        return result
    }
}
