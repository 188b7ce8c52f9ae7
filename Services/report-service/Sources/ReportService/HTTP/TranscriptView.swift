import Foundation
import Hummingbird

/// `GET /v1/reports/learners/{userId}/transcript`: every enrollment of the learner, all courses and cycles.
struct TranscriptView: ResponseEncodable, Sendable {
    var tenantId: String
    var userId: String
    var asOf: Date
    var items: [TranscriptEntry]
}
