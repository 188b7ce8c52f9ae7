import Contracts
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.segment-memberships.v1` to the membership projection that enforces a course's
/// `selfEnrollment.restrictToSegmentId`.
package struct SegmentMembershipHandler: EventHandler {
    let projections: ProjectionRepository

    package func handle(_ events: [ConsumedEvent], on connection: PostgresConnection) async throws -> [EventRejection] {
        var rejections: [EventRejection] = []
        var changes: [SegmentMembershipChanged] = []
        for consumed in events {
            do throws(EventRejection) {
                changes.append(try consumed.payload(SegmentMembershipChanged.self))
            } catch {
                rejections.append(error)
            }
        }
        try await projections.applyMemberships(changes, on: connection)
        return rejections
    }
}
