import Foundation

/// One enrollment (course and cycle) of a learner's transcript.
package struct TranscriptEntry: Codable, Sendable, Equatable {
    /// The database's text form: lowercase, as every event and service sends UUIDs.
    package var enrollmentId: String
    package var courseId: String
    package var courseTitle: String?
    package var cycle: Int
    package var status: String
    package var source: String
    package var enrolledAt: Date?
    package var dueAt: Date?
    package var completedAt: Date?
    package var percent: Double
    package var score: Double?
    package var overdue: Bool
}
