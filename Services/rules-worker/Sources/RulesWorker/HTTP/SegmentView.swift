import Contracts
import Foundation
import Hummingbird
import Segments

/// A segment as the API returns it, with its latest membership job.
package struct SegmentView: ResponseEncodable, Sendable {
    package var segment: Segment
    package var job: Job?

    private enum CodingKeys: String, CodingKey {
        case segmentId, name, description, criteria, version, createdAt, updatedAt, job
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(segment.segmentId.lowercasedString, forKey: .segmentId)
        try container.encode(segment.name, forKey: .name)
        try container.encodeIfPresent(segment.description, forKey: .description)
        try container.encode(segment.criteria, forKey: .criteria)
        try container.encode(segment.version, forKey: .version)
        try container.encode(segment.createdAt, forKey: .createdAt)
        try container.encode(segment.updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(job.map(JobView.init), forKey: .job)
    }
}
