import Foundation

/// One enrollment (course and cycle) of a learner's transcript.
package struct TranscriptEntry: Codable, Sendable, Equatable {
    package var enrollmentId: UUID
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

    /// Like the synthesized encoding, but the UUID in its canonical lowercase form (as every event and service sends it).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(enrollmentId.uuidString.lowercased(), forKey: .enrollmentId)
        try container.encode(courseId, forKey: .courseId)
        try container.encodeIfPresent(courseTitle, forKey: .courseTitle)
        try container.encode(cycle, forKey: .cycle)
        try container.encode(status, forKey: .status)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(enrolledAt, forKey: .enrolledAt)
        try container.encodeIfPresent(dueAt, forKey: .dueAt)
        try container.encodeIfPresent(completedAt, forKey: .completedAt)
        try container.encode(percent, forKey: .percent)
        try container.encodeIfPresent(score, forKey: .score)
        try container.encode(overdue, forKey: .overdue)
    }
}
