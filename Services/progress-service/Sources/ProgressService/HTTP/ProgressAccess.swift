import Contracts
import ServiceHTTP

/// Who may read progress: admins and `enrollments:read` services everything in their tenant; a
/// learner its own records; an instructor the records of courses where it holds an active
/// instructor enrollment.
struct ProgressAccess: Sendable {
    let queries: ProgressQueries

    /// Whether `identity` may see `record` (callers answer 404 otherwise, hiding its existence).
    func maySee(_ record: ProgressRecord, identity: Identity) async throws -> Bool {
        if Self.readsEverything(identity) || record.userId == identity.userId { return true }
        guard identity.has(.instructor) else { return false }
        return try await queries.isInstructor(identity.userId, of: CourseKey(tenantId: record.tenantId, courseId: record.courseId))
    }

    /// The caller when it may list a course's progress, else 403.
    func requireCourseReader(_ identity: Identity, course: CourseKey) async throws -> Identity {
        if Self.readsEverything(identity) { return identity }
        if identity.has(.instructor), try await queries.isInstructor(identity.userId, of: course) { return identity }
        throw Problem.forbidden("Only admins and the course's instructors may read its learners' progress.")
    }

    /// The courses whose records of another user `identity` may list: `nil` for all, else the
    /// courses it teaches; 403 when it may see none.
    func visibleCourses(of userId: String, identity: Identity) async throws -> [String]? {
        if Self.readsEverything(identity) || identity.userId == userId { return nil }
        if identity.has(.instructor) {
            let taught = try await queries.coursesTaught(by: identity.userId, tenantId: identity.tenantId)
            if !taught.isEmpty { return taught }
        }
        throw Problem.forbidden("A learner may read only its own progress.")
    }

    /// Admins, and services whose token carries `enrollments:read`.
    private static func readsEverything(_ identity: Identity) -> Bool {
        identity.has(.admin) || identity.isService(with: .enrollmentsRead)
    }
}
