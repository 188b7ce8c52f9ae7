import Contracts
import PostgresNIO
import ServicePlatform

/// Applies `lms.segment-memberships.v1` to the membership projection that enforces a course's
/// `selfEnrollment.restrictToSegmentId`.
package struct SegmentMembershipEventHandler: EventHandler {
    let memberships: SegmentMembershipRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        let batch = events.decode(SegmentMembershipChanged.self)
        try await memberships.applyMemberships(batch.payloads, on: connection)
        return batch.rejections
    }
}
