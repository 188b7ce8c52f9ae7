import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Enrollment keys and links of a course: creating, listing and revoking them.
package struct EnrollmentKeys: Sendable {
    let database: ServiceDatabase
    let keys: EnrollmentKeyRepository
    let courses: CourseRepository
    let enrollments: EnrollmentRepository
    let clock: any ServiceClock

    /// Stores a new key of an existing course.
    package func create(_ key: EnrollmentKeyRecord) async throws {
        try await database.transaction { connection in
            try await requireCourse(tenantId: key.tenantId, courseId: key.courseId, on: connection)
            try await keys.insert(key, on: connection)
        }
    }

    /// Stores a new link of an existing course.
    package func create(_ link: EnrollmentLinkRecord) async throws {
        try await database.transaction { connection in
            try await requireCourse(tenantId: link.tenantId, courseId: link.courseId, on: connection)
            try await keys.insert(link, on: connection)
        }
    }

    /// Every key of the course (revoked ones too), oldest first, with their uses.
    package func keys(of course: CourseKey) async throws -> [EnrollmentKeyRecord] {
        try await database.client.withConnection { connection in
            try await keys.keys(of: course, countingUses: true, on: connection)
        }
    }

    /// Revokes the key; only admins (`caller.managesEveryCourse`) and the course's instructors may.
    package func revoke(_ keyId: UUID, caller: Caller) async throws {
        try await database.transaction { connection in
            guard let key = try await keys.key(keyId, tenantId: caller.tenantId, on: connection) else {
                throw EnrollmentError.notFound("Enrollment key \(keyId.lowercasedString)")
            }
            if !caller.managesEveryCourse {
                let teaches = try await enrollments.isInstructor(
                    caller.userId,
                    of: CourseKey(tenantId: key.tenantId, courseId: key.courseId),
                    on: connection
                )
                guard teaches else { throw EnrollmentError.forbidden("Only admins and the course's instructors may revoke its keys.") }
            }
            try await keys.revoke(keyId, tenantId: caller.tenantId, at: clock.now(), on: connection)
        }
    }

    private func requireCourse(tenantId: String, courseId: String, on connection: PostgresConnection) async throws {
        guard try await courses.find(CourseKey(tenantId: tenantId, courseId: courseId), on: connection) != nil else {
            throw EnrollmentError.notFound("Course \(courseId)")
        }
    }
}
