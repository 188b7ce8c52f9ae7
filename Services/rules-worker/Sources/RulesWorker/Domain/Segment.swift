import Foundation
import Segments

/// A named set of criteria over the user projection.
struct Segment: Sendable, Hashable {
    var tenantId: String
    var segmentId: UUID
    var name: String
    var description: String?
    var criteria: Criteria
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
}
