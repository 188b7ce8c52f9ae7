import Contracts
import Foundation
import PostgresNIO
import ServicePlatform

/// Reading enrollments: one with its history, a course's or a user's in pages, and who teaches a course.
package struct EnrollmentLookup: Sendable {
    let database: ServiceDatabase
    let enrollments: EnrollmentRepository

    /// The enrollment and its history, when `caller` may see it (else not found).
    package func detail(_ enrollmentId: UUID, caller: Caller) async throws -> (record: EnrollmentRecord, history: [TransitionRecord]) {
        try await database.client.withConnection { connection in
            guard let record = try await enrollments.find(enrollmentId, tenantId: caller.tenantId, on: connection),
                try await Self.mayAccess(record, caller: caller, enrollments: enrollments, on: connection)
            else { throw EnrollmentError.notFound("Enrollment \(enrollmentId.lowercasedString)") }
            return (record, try await enrollments.history(of: enrollmentId, on: connection))
        }
    }

    /// A page of a course's enrollments in creation order, optionally filtered.
    package func list(
        course: CourseKey,
        status: EnrollmentStatus?,
        source: EnrollmentSource?,
        afterSeq: Int64?,
        limit: Int
    ) async throws -> [(seq: Int64, record: EnrollmentRecord)] {
        try await database.client.withConnection { connection in
            try await enrollments.list(course: course, status: status, source: source, afterSeq: afterSeq, limit: limit, on: connection)
        }
    }

    /// A page of a user's enrollments in creation order.
    package func list(user: UserKey, afterSeq: Int64?, limit: Int) async throws -> [(seq: Int64, record: EnrollmentRecord)] {
        try await database.client.withConnection { connection in
            try await enrollments.list(user: user, afterSeq: afterSeq, limit: limit, on: connection)
        }
    }

    /// Whether `userId` holds an active instructor enrollment in the course.
    package func teaches(_ userId: String, course: CourseKey) async throws -> Bool {
        try await database.client.withConnection { connection in
            try await enrollments.isInstructor(userId, of: course, on: connection)
        }
    }

    /// Whether `caller` may see and act on this enrollment at all: callers that manage every
    /// course, the learner itself, the course's instructors.
    static func mayAccess(
        _ record: EnrollmentRecord,
        caller: Caller,
        enrollments: EnrollmentRepository,
        on connection: PostgresConnection
    ) async throws -> Bool {
        if caller.managesEveryCourse || record.userId == caller.userId { return true }
        guard caller.isInstructor else { return false }
        return try await enrollments.isInstructor(caller.userId, of: record.course, on: connection)
    }
}
