import Foundation
import PostgresNIO
import ServiceHTTP
import ServicePlatform

/// Who may read which report: admins everything of their tenant; instructors the reports of
/// courses where they hold an instructor enrollment; learners their own transcript. A course or
/// user the caller's tenant does not know answers 404, whoever asks.
struct ReportAccess: Sendable {
    let database: ServiceDatabase
    let queries: ReportQueries

    /// The caller, allowed to read reports of the course (404 when the tenant has no such course).
    @discardableResult
    func requireCourseReader(_ context: AppRequestContext, course courseId: String) async throws -> Identity {
        let identity = try context.require(anyOf: .admin, .instructor)
        let key = CourseKey(tenantId: identity.tenantId, courseId: courseId)
        let (exists, teaches) = try await database.client.withConnection { connection in
            let exists = try await queries.courseExists(key, on: connection)
            let teaches = identity.has(.admin) ? true : try await queries.teaches(identity.userId, key, on: connection)
            return (exists, teaches)
        }
        guard exists else { throw Problem.notFound("Course \(courseId)") }
        guard teaches else { throw Problem.forbidden("Instructors see reports of the courses they teach only.") }
        return identity
    }

    /// The caller, allowed to read the learner's transcript (admin, or the learner itself).
    @discardableResult
    func requireTranscriptReader(_ context: AppRequestContext, user userId: String) async throws -> Identity {
        let identity = try context.requireIdentity()
        guard identity.has(.admin) || identity.userId == userId else {
            throw Problem.forbidden("Only admins and the learner itself see a transcript.")
        }
        let exists = try await database.client.withConnection { connection in
            try await queries.userExists(tenantId: identity.tenantId, userId: userId, on: connection)
        }
        guard exists || identity.userId == userId else { throw Problem.notFound("User \(userId)") }
        return identity
    }
}
