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

    static let csvHeader = ["enrollmentId", "courseId", "courseTitle", "cycle", "status", "source", "enrolledAt", "dueAt",
                            "completedAt", "percent", "score", "overdue"]

    var csvFields: [String] {
        [enrollmentId.uuidString.lowercased(), courseId, courseTitle ?? "", String(cycle), status, source,
         CSVValue.instant(enrolledAt), CSVValue.instant(dueAt), CSVValue.instant(completedAt), CSVValue.number(percent),
         score.map(CSVValue.number) ?? "", String(overdue)]
    }
}
