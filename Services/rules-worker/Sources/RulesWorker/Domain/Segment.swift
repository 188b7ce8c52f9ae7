import Foundation
import Segments

/// A named set of criteria over the user projection (rows decode with ``RowJSON``).
package struct Segment: Sendable, Hashable, Decodable {
    package var tenantId: String
    package var segmentId: UUID
    package var name: String
    package var description: String?
    package var criteria: Criteria
    package var version: Int64
    package var createdAt: Date
    package var updatedAt: Date
}
