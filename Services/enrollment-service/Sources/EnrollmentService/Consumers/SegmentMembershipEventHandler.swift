import Contracts
import Logging
import PostgresNIO
import ServicePlatform

/// Applies `lms.segment-memberships.v1` to the membership projection that enforces a course's
/// `selfEnrollment.restrictToSegmentId`.
package struct SegmentMembershipEventHandler: EventHandler {
    let memberships: SegmentMembershipRepository

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
        try await memberships.applyMemberships(changes, on: connection)
        return rejections
    }
}
