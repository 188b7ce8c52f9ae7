import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// The reads of the API: progress records by enrollment, learner and course, the instructor facts
/// the access checks need, and the statements still waiting for their enrollment. Each read runs
/// on a pooled connection of its own.
package struct ProgressQueries: Sendable {
    let database: ServiceDatabase
    let progress: ProgressRepository
    let statements: StatementRepository

    /// The record of enrollment `id` in the tenant, if there is one.
    package func record(_ id: UUID, tenantId: String) async throws -> ProgressRecord? {
        try await database.client.withConnection { try await progress.find(id, tenantId: tenantId, on: $0) }
    }

    /// A learner's records across courses and cycles (only `courses` when given), ordered by
    /// course, cycle and id, after the cursor `after`.
    package func ofUser(_ user: UserKey, courses: [String]?, after: [String]?, limit: Int) async throws -> [ProgressRecord] {
        try await database.client.withConnection { try await progress.ofUser(user, courses: courses, after: after, limit: limit, on: $0) }
    }

    /// A course's learner records, optionally of one status and/or overdue flag, in id order.
    package func ofCourse(_ course: CourseKey, status: ProgressStatus?, overdue: Bool?, after: UUID?, limit: Int) async throws -> [ProgressRecord] {
        try await database.client.withConnection { connection in
            try await progress.ofCourse(course, status: status, overdue: overdue, after: after, limit: limit, on: connection)
        }
    }

    /// Whether `userId` holds an active instructor enrollment in `course`.
    package func isInstructor(_ userId: String, of course: CourseKey) async throws -> Bool {
        try await database.client.withConnection { try await progress.isInstructor(userId, of: course, on: $0) }
    }

    /// The courses in which `userId` teaches (active instructor enrollments).
    package func coursesTaught(by userId: String, tenantId: String) async throws -> [String] {
        try await database.client.withConnection { try await progress.coursesTaught(by: userId, tenantId: tenantId, on: $0) }
    }

    /// Unattributed statements of a tenant, by course.
    package func unattributedCounts(tenantId: String) async throws -> [(courseId: String, count: Int)] {
        try await database.client.withConnection { try await statements.unattributedCounts(tenantId: tenantId, on: $0) }
    }
}
